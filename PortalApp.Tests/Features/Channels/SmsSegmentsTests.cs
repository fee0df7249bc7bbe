using PortalApp.Features.Channels;

namespace PortalApp.Tests.Features.Channels;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(0, 0, "0 text messages · 0 characters · GSM-7")]
    [InlineData(1, 1, "1 text message · 1 character · GSM-7")]
    [InlineData(160, 1, "1 text message · 160 characters · GSM-7")]
    [InlineData(161, 2, "2 text messages · 161 characters · GSM-7")]
    [InlineData(306, 2, "2 text messages · 306 characters · GSM-7")]
    [InlineData(307, 3, "3 text messages · 307 characters · GSM-7")]
    public void Gsm7_text_fits_160_in_one_message_and_153_a_part_when_split(int length, int segments, string described)
    {
        var counted = SmsSegments.Count(new string('a', length));

        Assert.Equal((segments, SmsEncoding.Gsm7), (counted.Segments, counted.Encoding));
        Assert.Equal(described, counted.Describe());
    }

    [Fact]
    public void French_accents_of_the_gsm_alphabet_keep_gsm7_and_the_others_make_it_ucs2()
    {
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Count("Répondez à votre rendez-vous, vidéo, Ça").Encoding);
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Count("août").Encoding); // û is not in it
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Count("ça").Encoding); // only the capital Ç is
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Ucs2_text_fits_70_in_one_message_and_67_a_part(int length, int segments)
    {
        var counted = SmsSegments.Count("ê" + new string('a', length - 1));

        Assert.Equal((segments, SmsEncoding.Ucs2, length), (counted.Segments, counted.Encoding, counted.Characters));
    }

    [Fact]
    public void Extension_characters_take_two_septets_and_are_never_split_between_parts()
    {
        Assert.Equal(1, SmsSegments.Count(new string('a', 158) + "€").Segments); // 160 septets
        Assert.Equal(2, SmsSegments.Count(new string('a', 159) + "€").Segments); // 161 septets
        // 152 septets, then a two-septet € that does not fit the part's last septet: it opens the second part.
        var counted = SmsSegments.Count(new string('a', 152) + "€" + new string('a', 152));
        Assert.Equal((3, 305), (counted.Segments, counted.Characters));
        Assert.Equal(2, SmsSegments.Count(new string('a', 151) + "€" + new string('a', 152)).Segments);
    }

    [Fact]
    public void An_emoji_is_one_character_but_two_units_and_is_never_split()
    {
        var counted = SmsSegments.Count(new string('a', 69) + "🙂");

        Assert.Equal((2, 70, SmsEncoding.Ucs2), (counted.Segments, counted.Characters, counted.Encoding));
        // 66 units, then a two-unit emoji that does not fit the part's last unit: it opens the second part.
        Assert.Equal(2, SmsSegments.Count(new string('a', 66) + "🙂" + new string('a', 65)).Segments);
        Assert.Equal(3, SmsSegments.Count(new string('a', 66) + "🙂" + new string('a', 66)).Segments);
    }
}
