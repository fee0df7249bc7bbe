using MudBlazor.Services;
using PortalApp.Components;
using PortalApp.Components.Account;
using PortalApp.Features.Channels;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.Portal;
using PortalApp.Infrastructure;
using Serilog;

var builder = WebApplication.CreateBuilder(SettingsFiles.ReadOnceArgs(args));

builder.Services.AddSerilog((services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services),
    preserveStaticLogger: true);

builder.Services.AddPortalCore(builder.Configuration, builder.Environment);
builder.Services.AddPortalSecurityHeaders(builder.Environment);
builder.Services.AddPortalRateLimits();
builder.Services.AddPortalRequestLimits();
builder.Services.AddPortalForwardedHeaders(builder.Configuration);

builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddScoped<PortalApp.Features.Schedule.AppointmentDialogs>(); // opens MudBlazor dialogs: web only

var app = builder.Build();

if (AdminCommand.Matches(args))
    return await AdminCommand.RunAsync(app.Services, args, AdminConsole.System);

if (!await StartupChecks.PrepareAsync(app))
    return 1;

app.UseForwardedHeaders();
app.UseCircuitOriginCheck();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseSecurityHeaders();
app.UseNoStoreExceptStaticFiles();
app.UseBlazorAddressesFromAnyPage();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseSerilogRequestLogging(options => RequestLogging.Configure(options, app.Services));

app.UseAuthentication();
app.UseTwoFactorSetupGate();
app.UseAuthorization();
app.UseRateLimiter();
app.UsePortalFormLimits();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapPortalEndpoints();
app.MapPortalOperations();
PortalApp.Features.IntakeForms.Reviewing.FormResponseEndpoints.MapFormResponseDownloads(app);
app.MapIntakeFormExport();
app.MapTwilioStatusCallbacks();
PortalApp.Features.Channels.InboundWebhooks.MapInboundWebhooks(app);
PortalApp.Features.Bulk.Unsubscribe.UnsubscribeEndpoint.MapUnsubscribeEndpoint(app);
PortalApp.Features.Bulk.Sends.BulkReportEndpoint.MapBulkReportExport(app);

StartupChecks.AnnounceWhenStarted(app);
await app.RunAsync();
return 0;
