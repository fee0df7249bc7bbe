using PortalApp.Features.Channels;

namespace PortalApp.Tests.Features.Channels;

public sealed class ReplyKeywordsTests
{
    [Theory]
    [InlineData("C", ReplyKeyword.Confirm)]
    [InlineData("  yes ", ReplyKeyword.Confirm)]
    [InlineData("Y", ReplyKeyword.Confirm)]
    [InlineData("Oui!", ReplyKeyword.Confirm)]
    [InlineData("o.", ReplyKeyword.Confirm)]
    [InlineData("Yes 👍", ReplyKeyword.Confirm)]
    [InlineData("STOP", ReplyKeyword.Stop)]
    [InlineData("stop.", ReplyKeyword.Stop)]
    [InlineData("StopAll", ReplyKeyword.Stop)]
    [InlineData("ARRÊT", ReplyKeyword.Stop)]
    [InlineData("arrêt !", ReplyKeyword.Stop)]
    [InlineData("Arret", ReplyKeyword.Stop)]
    [InlineData("unsubscribe", ReplyKeyword.Stop)]
    [InlineData("End", ReplyKeyword.Stop)]
    [InlineData("QUIT", ReplyKeyword.Stop)]
    [InlineData("start", ReplyKeyword.Start)]
    [InlineData("UNSTOP", ReplyKeyword.Start)]
    [InlineData("CANCEL", ReplyKeyword.Other)]
    [InlineData("cancel my appointment", ReplyKeyword.Other)]
    [InlineData("yes but I will be late", ReplyKeyword.Other)]
    [InlineData("Can I come at 10?", ReplyKeyword.Other)]
    [InlineData("", ReplyKeyword.Other)]
    [InlineData("   ", ReplyKeyword.Other)]
    [InlineData("STOPP", ReplyKeyword.Other)]
    public void A_reply_is_read_whole_in_any_case_with_accents_folded_and_trailing_punctuation_ignored(string body, ReplyKeyword expected) =>
        Assert.Equal(expected, ReplyKeywords.Read(body));

    [Fact]
    public void A_very_long_reply_is_never_a_keyword() =>
        Assert.Equal(ReplyKeyword.Other, ReplyKeywords.Read("stop" + new string('!', 2000)));
}
