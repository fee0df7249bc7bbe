using Microsoft.Extensions.Options;
using MimeKit;

namespace PortalApp.Email;

/// <summary>Writes each email as an .eml file: no mail server needed in development.</summary>
public sealed class PickupFolderEmailTransport(IOptions<EmailOptions> options, IHostEnvironment environment) : IEmailTransport
{
    public string Folder => Path.GetFullPath(options.Value.PickupFolder, environment.ContentRootPath);

    public Task<IEmailSession> OpenAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        return Task.FromResult<IEmailSession>(new Session(Folder));
    }

    private sealed class Session(string folder) : IEmailSession
    {
        public Task SendAsync(MimeMessage message, CancellationToken ct) =>
            Infrastructure.PickupFolder.WriteAsync(folder, DateTime.UtcNow, ".eml", (path, token) => message.WriteToAsync(path, token), ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
