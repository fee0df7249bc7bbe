using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// Runs an action that emails a client, waits for the running app's dispatcher to report the email sent, and
/// returns the matches of a pattern in the delivered emails (pickup mailbox), newest first.
/// </summary>
public static class DeliveredMail
{
    public static async Task<IReadOnlyList<string>> AfterAsync(IServiceProvider services, int clientId, Func<Task> action, string pattern)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(OutboxEmailChanged change)
        {
            if (change.ClientId == clientId && change.Status == OutboxStatus.Sent)
                sent.TrySetResult();
        }
        var events = services.GetRequiredService<OutboxEvents>();
        events.Changed += OnChanged;
        try
        {
            await action();
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            events.Changed -= OnChanged;
        }
        var mailbox = services.GetRequiredService<DevMailbox>();
        var found = new List<string>();
        foreach (var item in await mailbox.ListAsync(500))
        {
            var text = (await mailbox.ReadAsync(item.FileName))?.Text ?? "";
            found.AddRange(Regex.Matches(text, pattern).Select(m => m.Groups.Count > 1 ? m.Groups[1].Value : m.Value));
        }
        return found;
    }
}
