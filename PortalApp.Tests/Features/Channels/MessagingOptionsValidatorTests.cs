using PortalApp.Features.Channels;

namespace PortalApp.Tests.Features.Channels;

/// <summary>The Twilio transport refuses to start without what it needs, naming each setting and never the token.</summary>
public sealed class MessagingOptionsValidatorTests
{
    private const string Token = "SECRET-TOKEN-31337";

    private static MessagingOptions Twilio(Action<TwilioSettings> change)
    {
        var options = new MessagingOptions
        {
            Transport = TextTransportKind.Twilio,
            Twilio = new TwilioSettings { AccountSid = "AC0123456789abcdef0123456789abcdef", AuthToken = Token, FromNumber = "+14165550100" },
        };
        change(options.Twilio);
        return options;
    }

    private static IEnumerable<string> Failures(MessagingOptions options) =>
        new MessagingOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Complete_twilio_settings_pass() => Assert.Empty(Failures(Twilio(_ => { })));

    [Theory]
    [InlineData("AccountSid", "", "Messaging:Twilio:AccountSid is required")]
    [InlineData("AccountSid", "AC12/../../Calls", "Messaging:Twilio:AccountSid is required")]
    [InlineData("AuthToken", "", "Messaging:Twilio:AuthToken is required")]
    [InlineData("FromNumber", "", "Messaging:Twilio:FromNumber '' is not a phone number in E.164 form")]
    [InlineData("FromNumber", "(416) 555-0100", "Messaging:Twilio:FromNumber '(416) 555-0100' is not a phone number in E.164 form")]
    [InlineData("ApiBaseUrl", "http://api.twilio.com", "Messaging:Twilio:ApiBaseUrl 'http://api.twilio.com' must be an https address")]
    [InlineData("ApiBaseUrl", "not a url", "Messaging:Twilio:ApiBaseUrl 'not a url' must be an https address")]
    public void A_missing_or_unusable_twilio_setting_is_named(string setting, string value, string message)
    {
        var options = Twilio(t => typeof(TwilioSettings).GetProperty(setting)!.SetValue(t, value));

        var failure = Assert.Single(Failures(options));

        Assert.StartsWith(message, failure);
        Assert.DoesNotContain(Token, failure);
    }

    [Fact]
    public void Plain_http_is_allowed_to_this_machine_only_for_tests() =>
        Assert.Empty(Failures(Twilio(t => t.ApiBaseUrl = "http://127.0.0.1:5123")));

    [Fact]
    public void The_folder_transport_needs_no_twilio_settings() =>
        Assert.Empty(Failures(new MessagingOptions()));

    [Fact]
    public void A_lease_shorter_than_four_twilio_timeouts_is_refused_naming_both_settings()
    {
        var failure = Assert.Single(Failures(new MessagingOptions { LeaseSeconds = 100, Twilio = { TimeoutSeconds = 30 } }));
        Assert.StartsWith("Messaging:LeaseSeconds is 100: it must be at least four times Messaging:Twilio:TimeoutSeconds (30)", failure);
    }
}
