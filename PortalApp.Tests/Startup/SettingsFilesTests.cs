using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>The settings files are read once at start (README, Settings): nothing watches the app's folder and its database.</summary>
public sealed class SettingsFilesTests
{
    [Fact]
    public async Task The_app_reads_its_settings_files_without_watching_them()
    {
        await using var factory = new PortalAppFactory();
        _ = factory.Server; // starts the app through Program, as `dotnet run` does

        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().Select(p => p.Source).ToList();

        Assert.Contains(files, f => f.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.ReloadOnChange, $"{f.Path} is watched for changes"));
    }
}
