using PortalApp.Email;

namespace PortalApp.Tests.Email;

public sealed class EmailAddressRulesTests
{
    [Theory]
    [InlineData("emma@example.com")]
    [InlineData("emma.smith+portal@mail.example.co.uk")]
    [InlineData("o'neil@example.org")]
    [InlineData("  padded@example.com  ")]
    public void Accepts_one_plain_address(string address)
    {
        Assert.Null(EmailAddressRules.Problem(address));
        Assert.True(EmailAddressRules.IsValid(address));
    }

    [Fact]
    public void Accepts_an_address_of_exactly_254_characters()
    {
        var address = Address(domainTail: 57);
        Assert.Equal(254, address.Length);

        Assert.Null(EmailAddressRules.Problem(address));
    }

    [Theory]
    [InlineData(null, "Enter an email address")]
    [InlineData("", "Enter an email address")]
    [InlineData("   ", "Enter an email address")]
    [InlineData("amy@example.com, ben@example.com", "exactly one")]
    [InlineData("amy@example.com;ben@example.com", "exactly one")]
    [InlineData("amy@example.com,ben@example.com", "exactly one")]
    [InlineData("a@b.com\r\nBcc: x@y.com", "exactly one")]
    [InlineData("a@b.com\r\nBcc:x@y.com", "exactly one")]
    [InlineData("a@b.com\nBcc:x@y.com", "exactly one")]
    [InlineData("a@b.com\rBcc:x@y.com", "exactly one")]
    [InlineData("Bob <bob@x.com>", "exactly one")]
    [InlineData("<bob@x.com>", "exactly one")]
    [InlineData("\"Bob\"@x.com", "exactly one")]
    [InlineData("bob@localhost", "missing its domain")]
    [InlineData("bob@example.", "not a valid")]
    [InlineData("bob@", "not a valid")]
    [InlineData("@example.com", "not a valid")]
    [InlineData("bob.example.com", "missing its domain")]
    public void Refuses_anything_but_one_plain_address_and_says_why(string? input, string reason)
    {
        var problem = EmailAddressRules.Problem(input);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.OrdinalIgnoreCase);
        Assert.False(EmailAddressRules.IsValid(input));
    }

    [Fact]
    public void Refuses_an_address_over_254_characters()
    {
        var address = Address(domainTail: 58);
        Assert.Equal(255, address.Length);

        Assert.Contains("at most 254", EmailAddressRules.Problem(address));
    }

    /// <summary>A 64-character local part and a domain of valid labels (at most 63 characters each).</summary>
    private static string Address(int domainTail) =>
        $"{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', domainTail)}.com";
}
