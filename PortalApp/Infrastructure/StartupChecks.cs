using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace PortalApp.Infrastructure;

public static class StartupChecks
{
    /// <summary>Migrates, seeds (Development only) and refuses to run a real installation without an admin.</summary>
    /// <returns>false when the app must not start; the reason has been logged.</returns>
    public static async Task<bool> PrepareAsync(WebApplication app)
    {
        try
        {
            // Settings first: a wrong one is named before anything touches the database.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            app.Logger.LogCritical("The configuration is not valid: {Problems}", string.Join(" ", ex.Failures));
            return false;
        }

        var database = app.Services.GetRequiredService<IOptions<Data.DatabaseOptions>>().Value;
        if (database.Provider == Data.DatabaseProvider.PostgreSql && database.MaxSizeMegabytes is { } megabytes)
            app.Logger.LogWarning("Database:MaxSizeMegabytes ({Megabytes} MB) is a SQLite setting and is ignored on PostgreSQL. To cap the database's size there, give PostgreSQL's data (or a tablespace) a disk or quota of its own, and watch pg_database_size in your monitoring.", megabytes);

        var seed = app.Services.GetRequiredService<IOptions<SeedOptions>>().Value;
        if (seed.DemoData && !app.Environment.IsDevelopment())
        {
            app.Logger.LogCritical("Seed:DemoData is true in the {Environment} environment. Demo data is only for Development: set Seed:DemoData to false.", app.Environment.EnvironmentName);
            return false;
        }

        var email = app.Services.GetRequiredService<IOptions<Email.EmailOptions>>().Value;
        if (!app.Environment.IsDevelopment() && email.Transport == Email.EmailTransportKind.Pickup)
        {
            if (!email.AllowPickupInProduction)
            {
                app.Logger.LogCritical("Email:Transport is Pickup in the {Environment} environment: emails would be written to a folder on this server and never reach patients. Set Email:Transport to Smtp (with Email:Smtp:Host), or set Email:AllowPickupInProduction to true if a folder is really what you want.", app.Environment.EnvironmentName);
                return false;
            }
            app.Logger.LogWarning("Email:Transport is Pickup and Email:AllowPickupInProduction is true: emails are written to a folder, not sent.");
        }

        var messaging = app.Services.GetRequiredService<IOptions<Features.Channels.MessagingOptions>>().Value;
        if (!app.Environment.IsDevelopment() && messaging.Transport == Features.Channels.TextTransportKind.Folder)
        {
            if (!messaging.AllowFolderInProduction)
            {
                app.Logger.LogCritical("Messaging:Transport is Folder in the {Environment} environment: text messages and calls would be written to a folder on this server and never reach patients. Set Messaging:Transport to Twilio (with Messaging:Twilio:AccountSid, Messaging:Twilio:AuthToken and Messaging:Twilio:FromNumber), or set Messaging:AllowFolderInProduction to true if a folder is really what you want.", app.Environment.EnvironmentName);
                return false;
            }
            app.Logger.LogWarning("Messaging:Transport is Folder and Messaging:AllowFolderInProduction is true: text messages and calls are written to a folder, not sent.");
        }

        await StartupTasks.PrepareDatabaseAsync(app.Services);
        app.Services.GetService<DataFiles>()?.WarnWhenOpen(app.Logger);
        if (seed.DemoData)
            await DemoSeeder.SeedAsync(app.Services, app.Services.GetRequiredService<TimeProvider>());

        if (!app.Environment.IsDevelopment() && !await StartupTasks.HasAdminAsync(app.Services))
        {
            app.Logger.LogCritical("There is no admin account. Create one first: dotnet PortalApp.dll admin create --email you@yourclinic.example");
            return false;
        }
        return true;
    }

    public static void AnnounceWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
                Console.WriteLine($"PortalApp is running at {address}");
            if (app.Services.GetRequiredService<IOptions<SeedOptions>>().Value.DemoData)
            {
                Console.WriteLine("Demo staff sign-in (password for each: " + DemoSeeder.DemoPassword + "):");
                foreach (var (email, _, role) in DemoSeeder.StaffAccounts)
                    Console.WriteLine($"  {role,-12} {email}");
            }
        });
    }
}
