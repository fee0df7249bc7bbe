using System.Text;

namespace PortalApp.Features.Portal.Forms;

/// <summary>
/// What a file is, read from its first bytes (its "magic number"), never from its name or the type the browser sent:
/// a renamed program stays refused. Photos (JPEG, PNG, HEIC from iPhones) and PDF are what an insurance card or ID is.
/// </summary>
public static class AttachmentTypes
{
    public const string Refusal = "Attach a photo (JPEG, PNG or HEIC) or a PDF. This file is none of those.";

    /// <summary>The content type to store, or null when the bytes are none of the accepted kinds.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "image/jpeg";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return "image/png";
        if (head.StartsWith("%PDF-"u8))
            return "application/pdf";
        // ISO base media: a box size, then "ftyp" and the major brand.
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) && HeicBrands.Contains(Encoding.ASCII.GetString(head[8..12])))
            return "image/heic";
        return null;
    }

    private static readonly HashSet<string> HeicBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    /// <summary>The name as the patient's device gave it, without any folder, control characters or excess length.</summary>
    public static string SafeName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > 200)
            name = name[..100] + "…" + name[^99..];
        return name.Length == 0 ? "attachment" : name;
    }
}
