using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>The published app's own process, started as an IT person would, in the Production environment.</summary>
public sealed class ProductionStartupTests : IDisposable
{
    private readonly TestFolder _folder = new();

    private Task<(int ExitCode, string Output)> RunAsync(string? stdin, params string[] args) =>
        AppProcess.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Portal"] = $"Data Source={_folder.File("portal.db")}",
            ["Serilog__WriteTo__File__Args__path"] = _folder.File("logs/portal-.log"),
            ["Email__FromAddress"] = "portal@clinic.example",
            // These tests are about the other rules: emails and texts may stay in the (default) folders.
            ["Email__AllowPickupInProduction"] = "true",
            ["Messaging__AllowFolderInProduction"] = "true",
        }, stdin, args);

    [Fact]
    public async Task Production_refuses_to_start_without_an_admin_and_says_how_to_create_one()
    {
        var (exitCode, output) = await RunAsync(null);

        Assert.Equal(1, exitCode);
        Assert.Contains("There is no admin account. Create one first: dotnet PortalApp.dll admin create --email", output);
    }

    [Fact]
    public async Task Production_refuses_demo_data()
    {
        var (exitCode, output) = await RunAsync(null, "--Seed:DemoData=true");

        Assert.Equal(1, exitCode);
        Assert.Contains("Demo data is only for Development", output);
    }

    [Fact]
    public async Task Admin_create_makes_the_first_admin_and_refuses_a_weak_password()
    {
        var weak = await RunAsync("short", "admin", "create", "--email", "it@clinic.example", "--name", "Ida IT");
        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("Use at least 12 characters.", weak.Output);

        var created = await RunAsync("quartz lantern meadow violin", "admin", "create", "--email", "it@clinic.example", "--name", "Ida IT");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("Admin created", created.Output);

        var again = await RunAsync("quartz lantern meadow violin", "admin", "create", "--email", "it@clinic.example");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Output);
    }

    [Fact]
    public async Task Production_refuses_the_pickup_folder_unless_it_is_allowed_and_names_both_settings()
    {
        var (exitCode, output) = await RunAsync(null, "--Email:AllowPickupInProduction=false");

        Assert.Equal(1, exitCode);
        Assert.Contains("Email:Transport is Pickup in the Production environment: emails would be written to a folder on this server and never reach patients.", output);
        Assert.Contains("Set Email:Transport to Smtp (with Email:Smtp:Host), or set Email:AllowPickupInProduction to true", output);
        Assert.DoesNotContain("There is no admin account", output); // refused before anything else

        var allowed = await RunAsync(null);
        Assert.DoesNotContain("never reach patients", allowed.Output);
        Assert.Contains("There is no admin account", allowed.Output);
    }

    [Fact]
    public async Task Production_refuses_the_texts_folder_unless_it_is_allowed_and_names_the_settings()
    {
        var (exitCode, output) = await RunAsync(null, "--Messaging:AllowFolderInProduction=false");

        Assert.Equal(1, exitCode);
        Assert.Contains("Messaging:Transport is Folder in the Production environment: text messages and calls would be written to a folder on this server and never reach patients.", output);
        Assert.Contains("Set Messaging:Transport to Twilio (with Messaging:Twilio:AccountSid, Messaging:Twilio:AuthToken and Messaging:Twilio:FromNumber), or set Messaging:AllowFolderInProduction to true", output);
        Assert.DoesNotContain("There is no admin account", output); // refused before anything else
    }

    [Fact]
    public async Task Twilio_without_a_usable_sending_number_stops_the_start_naming_the_setting_and_never_the_token()
    {
        var (exitCode, output) = await RunAsync(null, "--Messaging:Transport=Twilio", "--Messaging:Twilio:AccountSid=AC0123456789abcdef0123456789abcdef",
            "--Messaging:Twilio:AuthToken=SECRET-TOKEN-90210", "--Messaging:Twilio:FromNumber=416-555-0100");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Messaging:Twilio:FromNumber '416-555-0100' is not a phone number in E.164 form", output);
        Assert.DoesNotContain("SECRET-TOKEN-90210", output);
        Assert.DoesNotContain("SECRET-TOKEN-90210", ReadLogs());
    }

    private string ReadLogs()
    {
        var logs = _folder.File("logs");
        return Directory.Exists(logs) ? string.Concat(Directory.GetFiles(logs).Select(File.ReadAllText)) : "";
    }

    [Fact]
    public async Task A_missing_setting_stops_the_start_with_its_name()
    {
        var (exitCode, output) = await RunAsync(null, "--Email:FromAddress=not-an-address");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Email:FromAddress", output);
    }

    public void Dispose() => _folder.Dispose();
}
