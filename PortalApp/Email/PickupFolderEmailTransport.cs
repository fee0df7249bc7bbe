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
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}";
            var temp = Path.Combine(folder, name + ".tmp");
            try
            {
                // Write then rename, so the mailbox never lists a half-written file.
                await message.WriteToAsync(temp, ct);
                File.Move(temp, Path.Combine(folder, name + ".eml"));
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
