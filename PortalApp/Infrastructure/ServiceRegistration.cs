using PortalApp.Features.Audit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PortalApp.Components.Account;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Charting;
using PortalApp.Features.Clients;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Messaging;
using PortalApp.Features.Portal;
using PortalApp.Features.Registration;
using PortalApp.Features.Templates;
using PortalApp.Security;

namespace PortalApp.Infrastructure;

public static class ServiceRegistration
{
    public const string StaffCookieName = "PortalApp.Staff";
    private const string StaffOrPatientScheme = "PortalApp.StaffOrPatient";

    /// <summary>Everything but the web pipeline: database, identity and features. Tests and benchmarks compose the same.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) =>
        services.AddPortalDatabase(configuration, environment)
            .AddPortalIdentity(environment)
            .AddPortalFeatures(configuration)
            .AddPortalOperations();

    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IHostEnvironment environment)
    {
        var staffCookie = CookieNames.For(StaffCookieName, environment);
        var patientCookie = CookieNames.For(PatientAuth.CookieName, environment);
        services.AddCascadingAuthenticationState();
        services.AddScoped<StaffSignInService>();
        services.AddScoped<StaffSessionCheck>();
        services.AddScoped<StaffSessionClock>();
        services.AddScoped<StaffAccountLinkService>();
        services.AddScoped<StaffAccountService>();
        services.AddScoped<StaffTwoFactorService>();
        services.AddScoped<AccountLinks>();
        services.AddScoped<PasswordCheck>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<FailedSignIns>();
        services.AddSingleton<TrustedBrowsers>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = StaffOrPatientScheme;
                options.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(StaffOrPatientScheme, "Staff or patient", options =>
                // One person per browser: signing in as one signs the other out, so the cookie present decides.
                options.ForwardDefaultSelector = context =>
                    context.Request.Cookies.ContainsKey(patientCookie) && !context.Request.Cookies.ContainsKey(staffCookie)
                        ? PatientAuth.Scheme
                        : IdentityConstants.ApplicationScheme)
            .AddCookie(PatientAuth.Scheme, options =>
            {
                options.Cookie.Name = patientCookie;
                options.Cookie.Path = "/";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.SlidingExpiration = true;
                options.LoginPath = PatientAuth.SignInPath;
                options.AccessDeniedPath = "/portal";
                options.Events.OnValidatePrincipal = PatientSessionValidator.ValidateAsync;
                options.Events.OnSigningIn = SessionCookies.OnSigningInAsync;
                options.Events.OnSigningOut = SessionCookies.OnSigningOutAsync;
                options.Events.OnRedirectToLogin = PatientSessionValidator.RedirectToSignInAsync;
                // An open page's status poll is not activity: it must not slide the idle timeout.
                options.Events.OnCheckSlidingExpiration = context =>
                {
                    if (context.Request.Path.StartsWithSegments(PatientSessionProbe.Path))
                        context.ShouldRenew = false;
                    return Task.CompletedTask;
                };
            })
            .AddIdentityCookies();
        services.AddOptions<PortalSessionOptions>().BindConfiguration(PortalSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(PatientAuth.Scheme)
            .Configure<IOptions<PortalSessionOptions>>((cookie, session) => cookie.ExpireTimeSpan = TimeSpan.FromMinutes(session.Value.IdleTimeoutMinutes));
        services.AddAuthorizationBuilder()
            .AddPolicy(PatientAuth.Policy, policy => policy
                .AddAuthenticationSchemes(PatientAuth.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(StaffRoles.Patient))
            .AddStaffAccountPolicy();

        services.AddIdentityCore<PortalUser>(options =>
            {
                // NIST SP 800-63B: length, not composition rules.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = true;
                options.Stores.SchemaVersion = PortalDbContext.IdentitySchema;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<PortalUserClaimsFactory>()
            .AddDefaultTokenProviders();
        // Password reset links work for one hour (and only once: a reset changes the security stamp they are tied to).
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromHours(1));
        // "Remember this computer" skips the second factor for 30 days, where the clinic allows it at all.
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme, options =>
        {
            options.ExpireTimeSpan = ClinicSettings.RememberComputerFor;
            SecureIdentityCookie(options, environment);
        });
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme,
            options => SecureIdentityCookie(options, environment));

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = staffCookie;
            options.Cookie.Path = "/";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            // The server decides when a session ends (idle limit, 12 hours, sign-out, account changes); the cookie only
            // needs to outlive it.
            options.ExpireTimeSpan = UserSessions.AbsoluteLifetime + TimeSpan.FromHours(1);
            options.SlidingExpiration = false;
            options.Events.OnSigningIn = SessionCookies.OnSigningInAsync;
            options.Events.OnSigningOut = SessionCookies.OnSigningOutAsync;
            options.Events.OnValidatePrincipal = StaffSessionCheck.ValidatePrincipalAsync;
            options.Events.OnRedirectToLogin = StaffSessionCheck.RedirectToSignInAsync;
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.AccessDeniedPath = "/account/access-denied";
        });
        return services;
    }

    public static IServiceCollection AddPortalFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddTimeProvider();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddOptions<Features.IntakeForms.Rules.IntakeFormDispatchOptions>().BindConfiguration(Features.IntakeForms.Rules.IntakeFormDispatchOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Features.Reminders.ReminderDispatchOptions>().BindConfiguration(Features.Reminders.ReminderDispatchOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InstanceOptions>().BindConfiguration(InstanceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InstanceIdentity>();
        services.AddOptions<ClinicDefaultsOptions>().BindConfiguration(ClinicDefaultsOptions.Section);
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);

        services.AddSingleton<ClinicSettingsService>();
        services.AddSingleton<ClinicClock>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ViewAudit>();
        services.AddScoped<AuditQueryService>();
        services.AddScoped<ClientService>();
        services.AddScoped<NewClientService>();
        services.AddScoped<ClientMergeService>();
        services.AddScoped<Features.Staff.StaffAdminService>();
        services.AddScoped<Features.Staff.StaffDirectory>();
        services.AddScoped<ChartingService>();
        services.AddScoped<Features.Portal.Forms.PortalFormsService>();
        services.AddScoped<Features.IntakeForms.IntakeFormService>();
        services.AddScoped<Features.IntakeForms.Sending.IntakeFormSender>();
        services.AddScoped<Features.IntakeForms.Rules.FormRuleService>();
        services.AddScoped<Features.IntakeForms.Rules.FormRuleDispatcher>();
        services.AddScoped<Features.IntakeForms.Rules.FormReminderDispatcher>();
        services.AddHostedService<Features.IntakeForms.Rules.IntakeFormDispatcherService>();
        services.AddScoped<Features.Reminders.ReminderSettingsService>();
        services.AddScoped<Features.Reminders.ReminderPreferencesService>();
        services.AddScoped<Features.Reminders.ReminderQueries>();
        services.AddScoped<Features.Reminders.ReminderContent>();
        services.AddScoped<Features.Reminders.ReminderPlanning>();
        services.AddScoped<Features.Reminders.ReminderSender>();
        services.AddScoped<Features.Reminders.ReminderDispatcher>();
        services.AddHostedService<Features.Reminders.ReminderDispatcherService>();
        services.AddOptions<Features.Bulk.BulkOptions>().BindConfiguration(Features.Bulk.BulkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Features.Bulk.BulkSendEvents>();
        services.AddSingleton<Features.Bulk.BulkSignal>();
        services.AddScoped<Features.Bulk.BulkComposer>();
        services.AddScoped<Features.Bulk.BulkAudienceService>();
        services.AddScoped<Features.Bulk.BulkRunner>();
        services.AddScoped<Features.Bulk.BulkSendService>();
        services.AddScoped<Features.Bulk.Compose.BulkComposeService>();
        services.AddScoped<Features.Bulk.Compose.BulkPreviewService>();
        services.AddHostedService<Features.Bulk.BulkRunnerService>();
        services.AddScoped<Features.Bulk.Sends.BulkSendQueries>();
        services.AddScoped<Features.Bulk.Sends.BulkReportExport>();
        services.AddScoped<Features.Schedule.BookingService>();
        services.AddScoped<Features.Schedule.AppointmentStatusService>();
        services.AddScoped<Features.Schedule.ScheduleQueries>();
        services.AddScoped<Features.Practitioners.PractitionerService>();
        services.AddScoped<Features.AppointmentTypes.AppointmentTypeService>();
        services.AddSingleton<TemplateRenderer>();
        services.AddScoped<TemplateEmails>();
        services.AddScoped<TemplateService>();
        services.AddScoped<TemplatePreviewService>();
        services.AddScoped<InviteEmailRenderer>();
        services.AddScoped<InviteService>();
        services.AddScoped<Features.Caregivers.CaregiverInviteService>();
        services.AddScoped<Features.Caregivers.CaregiverAccessService>();
        services.AddScoped<RegistrationService>();
        services.AddScoped<ExpiredLinkService>();
        services.AddScoped<PatientSignInService>();
        services.AddScoped<PortalViewer>();
        services.AddScoped<PortalAppointmentsService>();
        services.AddScoped<PatientAccessService>();
        services.AddScoped<PasswordResetService>();
        services.AddSingleton<PatientSessionProbe>();
        services.AddSingleton<MessagingEvents>();
        services.AddScoped<MessageNotifier>();
        services.AddScoped<StaffMessagingService>();
        services.AddScoped<PatientMessagingService>();
        services.AddSingleton<Features.Import.ImportRunner>();
        services.AddScoped<Features.Import.ImportService>();
        services.AddScoped<Features.Import.ExportService>();
        services.AddScoped<Features.IntakeForms.Reviewing.FormReviewService>();

        services.AddSingleton<WorkQueue>();
        services.AddHostedService<WorkQueueService>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxSecrets>();
        services.AddSingleton<OutboxEvents>();
        services.AddSingleton<EmailOutbox>();
        services.AddSingleton<Features.Channels.TextOutboxSignal>();
        services.AddSingleton<Features.Channels.OutboundMessages>();
        services.AddSingleton<Features.Channels.TwilioSignature>();
        services.AddOptions<Features.Channels.MessagingOptions>().BindConfiguration(Features.Channels.MessagingOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<Features.Channels.MessagingOptions>, Features.Channels.MessagingOptionsValidator>();
        services.AddSingleton<Features.Channels.OutboundMessageEvents>();
        services.AddSingleton<Features.Channels.FolderTextTransport>();
        services.AddSingleton<Features.Channels.TwilioTextTransport>();
        Features.Channels.TwilioTextTransport.AddTwilioHttpClient(services);
        services.AddSingleton<Features.Channels.ITextTransport>(sp =>
            sp.GetRequiredService<IOptions<Features.Channels.MessagingOptions>>().Value.Transport == Features.Channels.TextTransportKind.Twilio
                ? sp.GetRequiredService<Features.Channels.TwilioTextTransport>()
                : sp.GetRequiredService<Features.Channels.FolderTextTransport>());
        services.AddSingleton<Features.Channels.TextDispatcher>();
        services.AddHostedService<Features.Channels.TextDispatcherService>();
        services.AddSingleton<Features.Channels.DeliveryReports>();
        services.AddSingleton<Features.Channels.DevOutbox>();
        services.AddScoped<Features.Channels.MessagesLogService>();
        services.AddSingleton<OutboxMessageBuilder>();
        services.AddSingleton<PickupFolderEmailTransport>();
        services.AddSingleton<SmtpEmailTransport>();
        services.AddSingleton<IEmailTransport>(sp =>
            sp.GetRequiredService<IOptions<EmailOptions>>().Value.Transport == EmailTransportKind.Smtp
                ? sp.GetRequiredService<SmtpEmailTransport>()
                : sp.GetRequiredService<PickupFolderEmailTransport>());
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxDispatcherService>();
        if (DatabaseOptions.ProviderFrom(configuration) == DatabaseProvider.PostgreSql)
        {
            // Several instances may share this database: live updates travel between them (SQLite: one instance).
            services.AddSingleton<InstanceNotifications>();
            services.AddSingleton<PostgresNotificationRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<PostgresNotificationRelay>());
        }
        services.AddScoped<EmailLogService>();
        services.AddScoped<EmailComposer>();
        services.AddSingleton<DevMailbox>();
        // Patients' answers to reminders (confirm, cancel, STOP) and the staff's Replies to review.
        services.AddSingleton<Features.Schedule.ScheduleEvents>();
        services.AddScoped<Features.Reminders.AppointmentResponses>();
        services.AddScoped<Features.Reminders.AppointmentLinkService>();
        services.AddScoped<Features.Channels.InboundReplies>();
        services.AddScoped<Features.Replies.ReplyReviewService>();
        // Promotional messages: the unsubscribe link and one-click, and the card's consent.
        services.AddScoped<Features.Bulk.Unsubscribe.UnsubscribeService>();
        services.AddScoped<Features.ClientCards.PromotionalConsentService>();
        return services;
    }

    /// <summary>Identity's two-factor cookies get the same treatment as the sign-in cookies: Secure and __Host- outside Development.</summary>
    private static void SecureIdentityCookie(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions options, IHostEnvironment environment)
    {
        options.Cookie.Name = CookieNames.For(options.Cookie.Name ?? "", environment);
        options.Cookie.Path = "/";
        options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }
}
