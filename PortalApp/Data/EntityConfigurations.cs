using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PortalApp.Data;

// Index filters and check constraints quote their columns and test booleans bare: one text both SQLite and PostgreSQL read.

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> e)
    {
        e.Property(c => c.FirstName).HasMaxLength(100).IsRequired();
        e.Property(c => c.LastName).HasMaxLength(100).IsRequired();
        e.Property(c => c.PreferredName).HasMaxLength(100);
        e.Property(c => c.Email).HasMaxLength(254);
        e.Property(c => c.MobilePhone).HasMaxLength(30);
        e.Property(c => c.MobilePhoneDigits).HasMaxLength(30);
        e.Property(c => c.StreetAddress).HasMaxLength(200);
        e.Property(c => c.City).HasMaxLength(100);
        e.Property(c => c.Province).HasMaxLength(100);
        e.Property(c => c.PostalCode).HasMaxLength(20);
        e.Property(c => c.ExternalId).HasMaxLength(100);
        e.Property(c => c.ReminderChannels).HasMaxLength(40);
        e.Property(c => c.PromotionalConsentSource).HasMaxLength(200);
        e.Property(c => c.PromotionalOptOutVia).HasMaxLength(200);
        e.Property(c => c.Version).IsConcurrencyToken();
        e.HasIndex(c => c.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        e.HasIndex(c => c.MobilePhone);
        e.HasOne<Client>().WithMany().HasForeignKey(c => c.MergedIntoClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(c => new { c.LastName, c.FirstName });
        e.HasIndex(c => c.Email);
        e.HasIndex(c => c.DateOfBirth);
    }
}

internal sealed class PractitionerConfiguration : IEntityTypeConfiguration<Practitioner>
{
    public void Configure(EntityTypeBuilder<Practitioner> e)
    {
        e.Property(p => p.DisplayName).HasMaxLength(150).IsRequired();
        e.Property(p => p.Credentials).HasMaxLength(50);
        e.Property(p => p.Colour).HasMaxLength(7).IsRequired();
        e.Property(p => p.Version).IsConcurrencyToken();
        e.HasOne<PortalUser>().WithMany().HasForeignKey(p => p.StaffUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AppointmentConfiguration : IEntityTypeConfiguration<Appointment>
{
    public void Configure(EntityTypeBuilder<Appointment> e)
    {
        e.Property(a => a.Location).HasMaxLength(150);
        e.Property(a => a.CancelReason).HasMaxLength(300);
        e.Property(a => a.ConfirmedVia).HasMaxLength(40);
        e.Property(a => a.ExternalId).HasMaxLength(100);
        e.Property(a => a.ChartNote).HasMaxLength(20_000);
        e.Property(a => a.Version).IsConcurrencyToken();
        e.HasOne(a => a.Client).WithMany(c => c.Appointments).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(a => a.Practitioner).WithMany().OnDelete(DeleteBehavior.Restrict);
        e.HasOne(a => a.AppointmentType).WithMany().OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(a => new { a.ClientId, a.StartUtc });
        // The Schedule's week view and the double-booking check read by practitioner and time.
        e.HasIndex(a => new { a.PractitionerId, a.StartUtc });
        e.HasIndex(a => a.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
    }
}

internal sealed class AppointmentTypeConfiguration : IEntityTypeConfiguration<AppointmentType>
{
    public void Configure(EntityTypeBuilder<AppointmentType> e)
    {
        e.Property(t => t.Name).HasMaxLength(100).IsRequired();
        e.Property(t => t.Version).IsConcurrencyToken();
        e.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class AppointmentChangeConfiguration : IEntityTypeConfiguration<AppointmentChange>
{
    public void Configure(EntityTypeBuilder<AppointmentChange> e)
    {
        e.Property(c => c.StaffUserId).HasMaxLength(450);
        e.Property(c => c.StaffDisplayName).HasMaxLength(200);
        e.Property(c => c.Details).HasMaxLength(500);
        e.HasOne<Appointment>().WithMany(a => a.Changes).HasForeignKey(c => c.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(c => new { c.AppointmentId, c.AtUtc });
    }
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> e)
    {
        e.Property(j => j.FileName).HasMaxLength(255);
        e.Property(j => j.Error).HasMaxLength(1000);
        e.Property(j => j.StartedByUserId).HasMaxLength(450);
        e.Property(j => j.StartedByName).HasMaxLength(200);
        e.HasIndex(j => j.StartedAtUtc);
    }
}

internal sealed class ClinicSettingsConfiguration : IEntityTypeConfiguration<ClinicSettings>
{
    public void Configure(EntityTypeBuilder<ClinicSettings> e)
    {
        e.Property(s => s.Id).ValueGeneratedNever();
        e.Property(s => s.Name).HasMaxLength(150);
        e.Property(s => s.Address).HasMaxLength(300);
        e.Property(s => s.Phone).HasMaxLength(30);
        e.Property(s => s.TimeZone).HasMaxLength(64);
        e.Property(s => s.PublicBaseUrl).HasMaxLength(300);
        e.Property(s => s.PhoneRegion).HasMaxLength(2).HasDefaultValue(ClinicSettings.DefaultPhoneRegion);
        e.Property(s => s.InviteExpiryDays).HasDefaultValue(ClinicSettings.DefaultInviteExpiryDays);
        e.Property(s => s.CaregiverIdentityChecks).HasDefaultValue(ClinicSettings.DefaultCaregiverIdentityChecks);
        e.Property(s => s.StaffIdleTimeoutMinutes).HasDefaultValue(ClinicSettings.DefaultStaffIdleTimeoutMinutes);
        e.Property(s => s.RequireTwoFactorFor).HasDefaultValue(ClinicSettings.DefaultRequireTwoFactorFor).HasSentinel((TwoFactorRequirement)(-1));
        e.Property(s => s.BulkUndoMinutes).HasDefaultValue(ClinicSettings.DefaultBulkUndoMinutes);
        e.Property(s => s.BulkRecentDays).HasDefaultValue(ClinicSettings.DefaultBulkRecentDays).HasSentinel(-1);
        e.Property(s => s.Version).IsConcurrencyToken();
        e.ToTable(t => t.HasCheckConstraint("CK_ClinicSettings_Singleton", "\"Id\" = 1"));
    }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> e)
    {
        e.Property(o => o.ToAddress).HasMaxLength(254).IsRequired();
        e.Property(o => o.ToName).HasMaxLength(200);
        e.Property(o => o.Subject).HasMaxLength(300);
        e.Property(o => o.Kind).HasMaxLength(50);
        e.Property(o => o.LastError).HasMaxLength(1000);
        e.Property(o => o.MessageId).HasMaxLength(200);
        e.Property(o => o.ProtectedSecret).HasMaxLength(1000);
        e.Property(o => o.ListUnsubscribeUrl).HasMaxLength(500);
        e.Property(o => o.ClaimedBy).HasMaxLength(WorkClaim.MaxClaimerLength);
        e.HasIndex(o => new { o.Status, o.NextAttemptAtUtc });
        e.HasIndex(o => o.CreatedAtUtc);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.Property(a => a.Action).HasMaxLength(64).IsRequired();
        e.Property(a => a.StaffDisplayName).HasMaxLength(200);
        e.Property(a => a.Details).HasMaxLength(500);
        e.HasIndex(a => a.AtUtc);
        e.HasIndex(a => new { a.ClientId, a.AtUtc });
        e.HasIndex(a => a.Action);
    }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(200);
        // One portal account per client card.
        e.HasIndex(u => u.ClientId).IsUnique().HasFilter("\"ClientId\" IS NOT NULL");
        e.HasOne<Client>().WithMany().HasForeignKey(u => u.ClientId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> e)
    {
        e.Property(t => t.Name).HasMaxLength(100).IsRequired();
        e.Property(t => t.Subject).HasMaxLength(200).IsRequired();
        e.Property(t => t.Body).HasMaxLength(20_000).IsRequired();
        e.Property(t => t.Version).IsConcurrencyToken();
        e.HasIndex(t => new { t.Kind, t.Name }).IsUnique();
        e.HasIndex(t => new { t.Kind, t.Language }).IsUnique().HasFilter("\"IsDefault\"").HasDatabaseName("IX_MessageTemplates_OneDefaultPerKindAndLanguage");
    }
}

internal sealed class PortalInviteConfiguration : IEntityTypeConfiguration<PortalInvite>
{
    public void Configure(EntityTypeBuilder<PortalInvite> e)
    {
        e.Property(i => i.TokenHash).HasMaxLength(32).IsRequired();
        e.HasIndex(i => i.TokenHash).IsUnique();
        // One open invite per patient, whatever the UI does: a double click or two staff at once cannot make two.
        e.HasIndex(i => i.ClientId).IsUnique().HasFilter("\"Status\" = 'Pending' AND \"CaregiverAccessId\" IS NULL").HasDatabaseName("IX_PortalInvites_OnePendingPerClient");
        e.HasIndex(i => i.CaregiverAccessId).IsUnique().HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_PortalInvites_OnePendingPerCaregiver");
        e.HasOne(i => i.CaregiverAccess).WithMany().HasForeignKey(i => i.CaregiverAccessId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(i => new { i.ClientId, i.CreatedAtUtc });
        e.Property(i => i.SentByUserId).HasMaxLength(450);
        e.Property(i => i.SentByName).HasMaxLength(200);
        e.Property(i => i.SentToEmail).HasMaxLength(254);
        e.Property(i => i.TemplateName).HasMaxLength(100);
        e.Property(i => i.Subject).HasMaxLength(300);
        e.Property(i => i.EndedByName).HasMaxLength(200);
        e.HasOne(i => i.Client).WithMany().OnDelete(DeleteBehavior.Cascade);
        e.HasOne(i => i.OutboxEmail).WithMany().HasForeignKey(i => i.OutboxEmailId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<MessageTemplate>().WithMany().HasForeignKey(i => i.TemplateId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> e)
    {
        e.Property(c => c.Subject).HasMaxLength(200).IsRequired();
        e.Property(c => c.CreatedByName).HasMaxLength(200);
        e.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(c => new { c.ClientId, c.LastMessageAtUtc });
    }
}

internal sealed class ConversationMessageConfiguration : IEntityTypeConfiguration<ConversationMessage>
{
    public void Configure(EntityTypeBuilder<ConversationMessage> e)
    {
        e.Property(m => m.AuthorName).HasMaxLength(200);
        e.Property(m => m.OnBehalfOfName).HasMaxLength(200);
        e.Property(m => m.Body).HasMaxLength(10_000).IsRequired();
        e.HasOne(m => m.Conversation).WithMany(c => c.Messages).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(m => new { m.ConversationId, m.SentAtUtc });
    }
}

internal sealed class CaregiverAccessConfiguration : IEntityTypeConfiguration<CaregiverAccess>
{
    public void Configure(EntityTypeBuilder<CaregiverAccess> e)
    {
        e.Property(a => a.FirstName).HasMaxLength(100).IsRequired();
        e.Property(a => a.LastName).HasMaxLength(100).IsRequired();
        e.Property(a => a.Email).HasMaxLength(254).IsRequired();
        e.Property(a => a.NormalizedEmail).HasMaxLength(254).IsRequired();
        e.Property(a => a.Phone).HasMaxLength(30);
        e.Property(a => a.Note).HasMaxLength(500);
        e.Property(a => a.CreatedByUserId).HasMaxLength(450);
        e.Property(a => a.CreatedByName).HasMaxLength(200);
        e.Property(a => a.EndedByName).HasMaxLength(200);
        e.Property(a => a.EndReason).HasMaxLength(200);
        e.Property(a => a.Version).IsConcurrencyToken();
        // One open grant per caregiver and patient: a double click or two staff at once cannot make two.
        e.HasIndex(a => new { a.PatientClientId, a.NormalizedEmail }).IsUnique().HasFilter("\"Status\" <> 'Ended'")
            .HasDatabaseName("IX_CaregiverAccesses_OneOpenPerCaregiverAndPatient");
        e.HasIndex(a => a.PortalUserId);
        e.HasIndex(a => a.CaregiverClientId);
        e.HasOne(a => a.PatientClient).WithMany().HasForeignKey(a => a.PatientClientId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(a => a.CaregiverClient).WithMany().HasForeignKey(a => a.CaregiverClientId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<PortalUser>().WithMany().HasForeignKey(a => a.PortalUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> e)
    {
        e.Property(t => t.TokenHash).HasMaxLength(32).IsRequired();
        e.Property(t => t.CreatedByName).HasMaxLength(200);
        e.HasIndex(t => t.TokenHash).IsUnique();
        // One live link per account and purpose: a double click or two admins at once cannot leave two working links.
        e.HasIndex(t => new { t.UserId, t.Purpose }).IsUnique().HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_AccountTokens_OnePendingPerPurpose");
        e.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> e)
    {
        e.Property(s => s.TokenHash).HasMaxLength(32).IsRequired();
        e.HasIndex(s => s.TokenHash).IsUnique();
        e.HasIndex(s => new { s.UserId, s.EndedAtUtc });
        e.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SignInFailureTallyConfiguration : IEntityTypeConfiguration<SignInFailureTally>
{
    public void Configure(EntityTypeBuilder<SignInFailureTally> e)
    {
        e.ToTable("SignInFailureTallies");
        e.HasIndex(t => new { t.HourStartUtc, t.Portal }).IsUnique();
    }
}

// Intake forms (docs/decisions/0015). Deletes are restricted throughout: a response is a clinical record, and the
// form, version and card it belongs to must outlive it. Forms are archived, never deleted.

internal sealed class IntakeFormConfiguration : IEntityTypeConfiguration<IntakeForm>
{
    public void Configure(EntityTypeBuilder<IntakeForm> e)
    {
        e.Property(f => f.Title).HasMaxLength(200).IsRequired();
        e.Property(f => f.Description).HasMaxLength(2_000);
        e.Property(f => f.DraftUpdatedByName).HasMaxLength(200);
        e.Property(f => f.StarterKey).HasMaxLength(40);
        e.Property(f => f.Version).IsConcurrencyToken();
        e.HasIndex(f => f.StarterKey).IsUnique().HasFilter("\"StarterKey\" IS NOT NULL");
    }
}

internal sealed class IntakeFormVersionConfiguration : IEntityTypeConfiguration<IntakeFormVersion>
{
    public void Configure(EntityTypeBuilder<IntakeFormVersion> e)
    {
        e.Property(v => v.Title).HasMaxLength(200).IsRequired();
        e.Property(v => v.DefinitionJson).IsRequired();
        e.Property(v => v.DefinitionSha256).HasMaxLength(64).IsRequired();
        e.Property(v => v.PublishedByName).HasMaxLength(200);
        // Two publishes at once cannot both become version 2.
        e.HasIndex(v => new { v.IntakeFormId, v.Number }).IsUnique();
        e.HasOne<IntakeForm>().WithMany().HasForeignKey(v => v.IntakeFormId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FormAssignmentConfiguration : IEntityTypeConfiguration<FormAssignment>
{
    public void Configure(EntityTypeBuilder<FormAssignment> e)
    {
        e.Property(a => a.SentByName).HasMaxLength(200);
        e.Property(a => a.DraftSavedByName).HasMaxLength(200);
        e.Property(a => a.ClaimedBy).HasMaxLength(WorkClaim.MaxClaimerLength);
        e.Property(a => a.Version).IsConcurrencyToken();
        e.HasOne<Client>().WithMany().HasForeignKey(a => a.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<IntakeForm>().WithMany().HasForeignKey(a => a.IntakeFormId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<IntakeFormVersion>().WithMany().HasForeignKey(a => a.IntakeFormVersionId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Appointment>().WithMany().HasForeignKey(a => a.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<FormRule>().WithMany().HasForeignKey(a => a.FormRuleId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Conversation>().WithMany().HasForeignKey(a => a.ConversationId).OnDelete(DeleteBehavior.SetNull);
        // FormResponseId is no foreign key: FormResponse already refers to its assignment, and a circle of keys would
        // leave admin migrate-to-postgres no order in which to copy the two tables.
        e.HasIndex(a => a.FormResponseId);
        e.HasIndex(a => new { a.ClientId, a.Status });
        e.HasIndex(a => new { a.Status, a.NextReminderAtUtc });
        e.HasIndex(a => a.AppointmentId);
        // A rule sends its form once per appointment, however many instances run the dispatcher.
        e.HasIndex(a => new { a.AppointmentId, a.FormRuleId }).IsUnique().HasFilter("\"FormRuleId\" IS NOT NULL");
    }
}

internal sealed class FormResponseConfiguration : IEntityTypeConfiguration<FormResponse>
{
    public void Configure(EntityTypeBuilder<FormResponse> e)
    {
        e.Property(r => r.AnswersJson).IsRequired();
        e.Property(r => r.Score).HasPrecision(9, 2);
        e.Property(r => r.FilledByName).HasMaxLength(200);
        e.Property(r => r.FilledByUserId).HasMaxLength(450);
        e.Property(r => r.FilledForClientName).HasMaxLength(200);
        e.Property(r => r.PdfSha256).HasMaxLength(64);
        e.Property(r => r.ReviewedByName).HasMaxLength(200);
        e.HasOne<FormAssignment>().WithMany().HasForeignKey(r => r.FormAssignmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<IntakeForm>().WithMany().HasForeignKey(r => r.IntakeFormId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<IntakeFormVersion>().WithMany().HasForeignKey(r => r.IntakeFormVersionId).OnDelete(DeleteBehavior.Restrict);
        // One response per assignment, whatever a double submit does.
        e.HasIndex(r => r.FormAssignmentId).IsUnique().HasFilter("\"FormAssignmentId\" IS NOT NULL");
        e.HasIndex(r => new { r.ClientId, r.IntakeFormId, r.SubmittedAtUtc });
        e.HasIndex(r => new { r.ReviewedAtUtc, r.SubmittedAtUtc });
    }
}

internal sealed class FormRuleConfiguration : IEntityTypeConfiguration<FormRule>
{
    public void Configure(EntityTypeBuilder<FormRule> e)
    {
        e.Property(r => r.CreatedByName).HasMaxLength(200);
        e.Property(r => r.Version).IsConcurrencyToken();
        e.HasOne<IntakeForm>().WithMany().HasForeignKey(r => r.IntakeFormId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppointmentType>().WithMany().HasForeignKey(r => r.AppointmentTypeId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(r => new { r.AppointmentTypeId, r.IsActive });
        e.ToTable(t =>
        {
            t.HasCheckConstraint("CK_FormRules_DaysBefore", $"\"DaysBefore\" >= 0 AND \"DaysBefore\" <= {FormRule.MaxDaysBefore}");
            t.HasCheckConstraint("CK_FormRules_SkipMonths", $"\"SkipIfCompletedWithinMonths\" >= 0 AND \"SkipIfCompletedWithinMonths\" <= {FormRule.MaxSkipMonths}");
        });
    }
}

internal sealed class FormAttachmentConfiguration : IEntityTypeConfiguration<FormAttachment>
{
    public void Configure(EntityTypeBuilder<FormAttachment> e)
    {
        e.Property(a => a.LinkId).HasMaxLength(64).IsRequired();
        e.Property(a => a.FileName).HasMaxLength(200).IsRequired();
        e.Property(a => a.ContentType).HasMaxLength(100).IsRequired();
        e.Property(a => a.Bytes).IsRequired();
        e.Property(a => a.Sha256).HasMaxLength(64).IsRequired();
        e.HasOne<FormAssignment>().WithMany().HasForeignKey(a => a.FormAssignmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(a => new { a.FormAssignmentId, a.LinkId });
    }
}

internal sealed class OutboundMessageConfiguration : IEntityTypeConfiguration<OutboundMessage>
{
    public void Configure(EntityTypeBuilder<OutboundMessage> e)
    {
        e.Property(m => m.Recipient).HasMaxLength(OutboundMessage.MaxRecipientLength).IsRequired();
        e.Property(m => m.RecipientName).HasMaxLength(200);
        e.Property(m => m.Kind).HasMaxLength(OutboundMessage.MaxKindLength);
        e.Property(m => m.Subject).HasMaxLength(OutboundMessage.MaxSubjectLength);
        e.Property(m => m.Body).HasMaxLength(OutboundMessage.MaxBodyLength);
        e.Property(m => m.ProtectedSecret).HasMaxLength(1000);
        e.Property(m => m.StatusDetail).HasMaxLength(OutboundMessage.MaxDetailLength);
        e.Property(m => m.ProviderMessageId).HasMaxLength(OutboundMessage.MaxProviderIdLength);
        e.Property(m => m.ClaimedBy).HasMaxLength(WorkClaim.MaxClaimerLength);
        e.Property(m => m.Version).IsConcurrencyToken();
        e.HasOne<Client>().WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Appointment>().WithMany().HasForeignKey(m => m.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(m => m.OutboxEmail).WithMany().HasForeignKey(m => m.OutboxEmailId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(m => new { m.Status, m.NextAttemptAtUtc });
        e.HasIndex(m => m.CreatedAtUtc);
        e.HasIndex(m => new { m.ClientId, m.CreatedAtUtc });
        e.HasIndex(m => new { m.Recipient, m.Channel, m.CreatedAtUtc });
        // A status callback finds its message by the provider's id; one message per id.
        e.HasIndex(m => m.ProviderMessageId).IsUnique().HasFilter("\"ProviderMessageId\" IS NOT NULL");
    }
}

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> e)
    {
        e.Property(m => m.FromNumber).HasMaxLength(InboundMessage.MaxNumberLength).IsRequired();
        e.Property(m => m.ToNumber).HasMaxLength(InboundMessage.MaxNumberLength);
        e.Property(m => m.Body).HasMaxLength(InboundMessage.MaxBodyLength);
        e.Property(m => m.ProviderMessageId).HasMaxLength(OutboundMessage.MaxProviderIdLength).IsRequired();
        e.Property(m => m.ReviewedByName).HasMaxLength(200);
        e.HasOne<Client>().WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Appointment>().WithMany().HasForeignKey(m => m.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<OutboundMessage>().WithMany().HasForeignKey(m => m.OutboundMessageId).OnDelete(DeleteBehavior.Restrict);
        // The provider retries a webhook it thinks failed: the second delivery finds the first.
        e.HasIndex(m => m.ProviderMessageId).IsUnique();
        e.HasIndex(m => new { m.Outcome, m.ReviewedAtUtc, m.ReceivedAtUtc });
        e.HasIndex(m => new { m.ClientId, m.ReceivedAtUtc });
    }
}

internal sealed class AppointmentReminderConfiguration : IEntityTypeConfiguration<AppointmentReminder>
{
    public void Configure(EntityTypeBuilder<AppointmentReminder> e)
    {
        e.Property(r => r.SkipReason).HasMaxLength(AppointmentReminder.MaxSkipReasonLength);
        e.Property(r => r.ClaimedBy).HasMaxLength(WorkClaim.MaxClaimerLength);
        e.Property(r => r.Version).IsConcurrencyToken();
        e.HasOne<Appointment>().WithMany().HasForeignKey(r => r.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<OutboundMessage>().WithMany().HasForeignKey(r => r.OutboundMessageId).OnDelete(DeleteBehavior.Restrict);
        // Each planned reminder exists (and so is sent) once, however many instances plan it at the same moment.
        e.HasIndex(r => new { r.AppointmentId, r.Channel, r.Slot, r.AppointmentStartUtc }).IsUnique();
        e.HasIndex(r => new { r.Status, r.SendAtUtc });
        e.HasIndex(r => new { r.ClientId, r.CreatedAtUtc });
        e.ToTable(t => t.HasCheckConstraint("CK_AppointmentReminders_Slot", $"\"Slot\" >= 0 AND \"Slot\" < {ReminderSettings.MaxScheduleEntries}"));
    }
}

internal sealed class ReminderLinkConfiguration : IEntityTypeConfiguration<ReminderLink>
{
    public void Configure(EntityTypeBuilder<ReminderLink> e)
    {
        e.Property(l => l.TokenHash).HasMaxLength(32).IsRequired();
        e.HasOne<Appointment>().WithMany().HasForeignKey(l => l.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Client>().WithMany().HasForeignKey(l => l.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(l => l.TokenHash).IsUnique();
        e.HasIndex(l => l.AppointmentId);
    }
}

internal sealed class ReminderSettingsConfiguration : IEntityTypeConfiguration<ReminderSettings>
{
    public void Configure(EntityTypeBuilder<ReminderSettings> e)
    {
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.Schedule).HasMaxLength(200).IsRequired();
        e.Property(r => r.Version).IsConcurrencyToken();
        e.Ignore(r => r.QuietStart);
        e.Ignore(r => r.QuietEnd);
        e.ToTable(t =>
        {
            t.HasCheckConstraint("CK_ReminderSettings_Singleton", $"\"Id\" = {ReminderSettings.SingletonId}");
            t.HasCheckConstraint("CK_ReminderSettings_QuietHours", $"\"QuietStartMinute\" >= 0 AND \"QuietStartMinute\" < {ReminderSettings.MinutesPerDay} AND \"QuietEndMinute\" >= 0 AND \"QuietEndMinute\" < {ReminderSettings.MinutesPerDay}");
            t.HasCheckConstraint("CK_ReminderSettings_CancelCutoff", $"\"CancelCutoffHours\" >= 0 AND \"CancelCutoffHours\" <= {ReminderSettings.MaxCancelCutoffHours}");
        });
    }
}

internal sealed class BulkSendConfiguration : IEntityTypeConfiguration<BulkSend>
{
    public void Configure(EntityTypeBuilder<BulkSend> e)
    {
        e.Property(b => b.IdempotencyKey).HasMaxLength(BulkSend.MaxKeyLength).IsRequired();
        e.Property(b => b.Title).HasMaxLength(BulkSend.MaxTitleLength).IsRequired();
        e.Property(b => b.AudienceJson).HasMaxLength(BulkSend.MaxAudienceLength).IsRequired();
        e.Property(b => b.AudienceDescription).HasMaxLength(BulkSend.MaxAudienceDescriptionLength).IsRequired();
        e.Property(b => b.Subject).HasMaxLength(BulkSend.MaxSubjectLength);
        e.Property(b => b.Body).HasMaxLength(BulkSend.MaxBodyLength).IsRequired();
        e.Property(b => b.CreatedByUserId).HasMaxLength(450).IsRequired();
        e.Property(b => b.CreatedByName).HasMaxLength(200).IsRequired();
        e.Property(b => b.CancelledByName).HasMaxLength(200);
        e.Property(b => b.PausedByName).HasMaxLength(200);
        e.Property(b => b.ClaimedBy).HasMaxLength(WorkClaim.MaxClaimerLength);
        e.Property(b => b.Version).IsConcurrencyToken();
        e.HasOne<MessageTemplate>().WithMany().HasForeignKey(b => b.TemplateId).OnDelete(DeleteBehavior.SetNull);
        // A double click or a form posted twice makes one send, whichever instance gets it.
        e.HasIndex(b => b.IdempotencyKey).IsUnique();
        e.HasIndex(b => new { b.State, b.StartsAtUtc });
        e.HasIndex(b => b.CreatedAtUtc);
    }
}

internal sealed class BulkRecipientConfiguration : IEntityTypeConfiguration<BulkRecipient>
{
    public void Configure(EntityTypeBuilder<BulkRecipient> e)
    {
        e.Property(r => r.Name).HasMaxLength(BulkRecipient.MaxNameLength).IsRequired();
        e.Property(r => r.Address).HasMaxLength(BulkRecipient.MaxAddressLength);
        e.Property(r => r.Reason).HasMaxLength(BulkRecipient.MaxReasonLength);
        e.Property(r => r.UnsubscribeTokenHash).HasMaxLength(32);
        e.HasOne(r => r.BulkSend).WithMany().HasForeignKey(r => r.BulkSendId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(r => r.OutboundMessage).WithMany().HasForeignKey(r => r.OutboundMessageId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(r => r.Conversation).WithMany().HasForeignKey(r => r.ConversationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(r => r.PortalInvite).WithMany().HasForeignKey(r => r.PortalInviteId).OnDelete(DeleteBehavior.Restrict);
        // One message per patient and per address in a send, whatever the filters or the cards say.
        e.HasIndex(r => new { r.BulkSendId, r.ClientId }).IsUnique().HasFilter("\"ClientId\" IS NOT NULL");
        e.HasIndex(r => new { r.BulkSendId, r.Address }).IsUnique().HasFilter("\"Address\" IS NOT NULL");
        e.HasIndex(r => new { r.BulkSendId, r.Status, r.Position });
        e.HasIndex(r => new { r.ClientId, r.ProcessedAtUtc });
        e.HasIndex(r => r.UnsubscribeTokenHash).IsUnique().HasFilter("\"UnsubscribeTokenHash\" IS NOT NULL");
    }
}
