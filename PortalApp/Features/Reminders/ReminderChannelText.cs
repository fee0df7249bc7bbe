using PortalApp.Data;

namespace PortalApp.Features.Reminders;

/// <summary>How staff read a reminder channel, and <see cref="Client.ReminderChannels"/> ("Email,Sms"; null: the clinic's).</summary>
public static class ReminderChannelText
{
    public static readonly IReadOnlyList<MessageChannel> All = [MessageChannel.Email, MessageChannel.Sms, MessageChannel.Voice];

    /// <summary>Whether the clinic has reminders on this channel turned on.</summary>
    public static bool IsOn(ReminderSettings settings, MessageChannel channel) => channel switch
    {
        MessageChannel.Email => settings.EmailOn,
        MessageChannel.Sms => settings.SmsOn,
        MessageChannel.Voice => settings.VoiceOn,
        _ => false,
    };

    public static IReadOnlyList<MessageChannel> On(ReminderSettings settings) => All.Where(c => IsOn(settings, c)).ToList();

    public static string Label(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => "Email",
        MessageChannel.Sms => "Text message",
        MessageChannel.Voice => "Voice call",
        _ => channel.ToString(),
    };

    /// <summary>"emails", "texts", "calls": as in "Opted out of texts".</summary>
    public static string Plural(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => "emails",
        MessageChannel.Sms => "texts",
        MessageChannel.Voice => "calls",
        _ => channel.ToString(),
    };

    public static string List(IEnumerable<MessageChannel> channels) =>
        channels.ToList() is { Count: > 0 } list ? string.Join(", ", list.Select(Label)) : "none";

    /// <summary>The channels a client chose; empty when they chose none (the clinic's channels apply). Unknown names are ignored.</summary>
    public static IReadOnlySet<MessageChannel> ParseClientChoice(string? stored) =>
        (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Enum.TryParse<MessageChannel>(s, out var c) && Enum.IsDefined(c) ? c : (MessageChannel?)null)
            .OfType<MessageChannel>().ToHashSet();

    /// <returns>null for no choice, so the column keeps its meaning "the clinic's channels".</returns>
    public static string? FormatClientChoice(IEnumerable<MessageChannel> channels) =>
        All.Where(channels.Contains).ToList() is { Count: > 0 } chosen ? string.Join(',', chosen) : null;
}
