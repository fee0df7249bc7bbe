using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PortalApp.Data;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass only so that EF keeps a migration set per
/// provider (Data/Migrations/Sqlite, Data/Migrations/PostgreSql), as EF's guide to multiple providers describes.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    /// <summary>Data Protection's key ring when the keys are kept in the database (PostgreSQL: every instance reads one ring).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Client> Clients => Set<Client>();
    public DbSet<Practitioner> Practitioners => Set<Practitioner>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<AppointmentType> AppointmentTypes => Set<AppointmentType>();
    public DbSet<AppointmentChange> AppointmentChanges => Set<AppointmentChange>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<ClinicSettings> ClinicSettings => Set<ClinicSettings>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<PortalInvite> PortalInvites => Set<PortalInvite>();
    public DbSet<CaregiverAccess> CaregiverAccesses => Set<CaregiverAccess>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationMessage> ConversationMessages => Set<ConversationMessage>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<SignInFailureTally> SignInFailureTallies => Set<SignInFailureTally>();
    public DbSet<IntakeForm> IntakeForms => Set<IntakeForm>();
    public DbSet<IntakeFormVersion> IntakeFormVersions => Set<IntakeFormVersion>();
    public DbSet<FormAssignment> FormAssignments => Set<FormAssignment>();
    public DbSet<FormResponse> FormResponses => Set<FormResponse>();
    public DbSet<FormRule> FormRules => Set<FormRule>();
    public DbSet<FormAttachment> FormAttachments => Set<FormAttachment>();
    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();
    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();
    public DbSet<AppointmentReminder> AppointmentReminders => Set<AppointmentReminder>();
    public DbSet<ReminderLink> ReminderLinks => Set<ReminderLink>();
    public DbSet<ReminderSettings> ReminderSettings => Set<ReminderSettings>();
    public DbSet<BulkSend> BulkSends => Set<BulkSend>();
    public DbSet<BulkRecipient> BulkRecipients => Set<BulkRecipient>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no kind; everything is stored as UTC and read back marked as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        // Enum names are stored as text; PostgreSQL holds them to this length (SQLite never did: PortalMessageNotification is 25).
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every entity with a Version concurrency token gets a new one when it changes.</summary>
    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State == EntityState.Modified))
        {
            var version = entry.Metadata.FindProperty("Version");
            if (version is { IsConcurrencyToken: true })
            {
                var property = entry.Property(version.Name);
                property.CurrentValue = (int)property.OriginalValue! + 1;
            }
        }
    }

    public bool IsPostgreSql => this is PostgreSqlPortalDbContext;

    /// <summary>Identity's tables (version 3 has passkeys); part of the model, so the app and the design-time contexts share it.</summary>
    public static readonly Version IdentitySchema = IdentitySchemaVersions.Version3;

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

public sealed class PostgreSqlPortalDbContext(DbContextOptions<PostgreSqlPortalDbContext> options) : PortalDbContext(options);
