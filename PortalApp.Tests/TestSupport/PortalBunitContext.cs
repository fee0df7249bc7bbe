using PortalApp.Features.Audit;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Charting;
using PortalApp.Features.Clients;
using PortalApp.Features.Clinic;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// bUnit with MudBlazor (see TOOLCHAIN.md) over the app's real services and a real SQLite file.
/// The signed-in user is front-desk staff unless a test says otherwise.
/// </summary>
public abstract class PortalBunitContext : BunitContext, IAsyncLifetime
{
    protected ServiceTestHost Host { get; private set; } = null!;
    protected BunitAuthorizationContext Authorization { get; private set; } = null!;

    /// <summary>What a prerender handed to the interactive render (see PageOpen).</summary>
    protected BunitPersistentComponentState PageState { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceTestHost.StartAsync();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Host.Time);
        Services.AddSingleton(Host.Get<ClinicSettingsService>());
        Services.AddSingleton(Host.Get<ClinicClock>());
        Services.AddSingleton(Host.Get<DevMailbox>());
        Services.AddSingleton(Host.Get<OutboxEvents>());
        Services.AddSingleton(Host.Scoped<AuditQueryService>());
        Services.AddSingleton(Host.Scoped<ClientService>());
        Services.AddSingleton(Host.Scoped<NewClientService>());
        Services.AddSingleton(Host.Scoped<ClientMergeService>());
        Services.AddSingleton(Host.Scoped<ChartingService>());
        Services.AddSingleton(Host.Scoped<EmailLogService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Channels.MessagesLogService>());
        Services.AddSingleton(Host.Get<PortalApp.Features.Channels.OutboundMessageEvents>());
        Services.AddSingleton(Host.Get<PortalApp.Features.Channels.DevOutbox>());
        Services.AddSingleton(Host.Scoped<EmailComposer>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Invites.InviteService>());
        Services.AddSingleton(Host.Get<PortalApp.Features.Messaging.MessagingEvents>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Messaging.StaffMessagingService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Templates.TemplateService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.IntakeForms.Sending.IntakeFormSender>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.IntakeForms.IntakeFormService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Caregivers.CaregiverInviteService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Caregivers.CaregiverAccessService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Schedule.ScheduleQueries>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Schedule.BookingService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Schedule.AppointmentStatusService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.IntakeForms.Reviewing.FormReviewService>());
        Services.AddScoped<PortalApp.Features.Schedule.AppointmentDialogs>();
        Services.AddSingleton(Host.Get<PortalApp.Features.Schedule.ScheduleEvents>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Replies.ReplyReviewService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.AppointmentTypes.AppointmentTypeService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.IntakeForms.IntakeFormService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.IntakeForms.Rules.FormRuleService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Templates.TemplatePreviewService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Reminders.ReminderQueries>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Reminders.ReminderPreferencesService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Reminders.ReminderSettingsService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.ClientCards.PromotionalConsentService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Bulk.BulkSendService>());
        Services.AddSingleton(Host.Scoped<PortalApp.Features.Bulk.Sends.BulkSendQueries>());
        Services.AddSingleton(Host.Get<PortalApp.Features.Bulk.BulkSendEvents>());
        SignInAs(Staff.FrontDesk);
        PageState = AddBunitPersistentComponentState();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // resolves services: register them all first
        await SeedAsync();
    }

    protected virtual Task SeedAsync() => Task.CompletedTask;

    protected void SignInAs(StaffActor actor)
    {
        Authorization ??= AddAuthorization();
        Authorization.SetAuthorized(actor.DisplayName);
        Authorization.SetRoles(actor.Roles);
        Authorization.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, actor.UserId),
            new Claim(StaffActor.DisplayNameClaim, actor.DisplayName));
    }

    /// <summary>The component under test inside the providers MudBlazor needs for popovers, dialogs and snackbars.</summary>
    protected IRenderedComponent<MudTestHost> RenderWithProviders<TComponent>(params (string Name, object? Value)[] parameters)
        where TComponent : IComponent =>
        Render<MudTestHost>(p => p.Add(h => h.ChildContent, builder =>
        {
            builder.OpenComponent<TComponent>(0);
            foreach (var (name, value) in parameters)
                builder.AddComponentParameter(1, name, value);
            builder.CloseComponent();
        }));

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
