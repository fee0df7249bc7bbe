using System.Xml.Linq;

namespace PortalApp.Infrastructure.MigrateToPostgres;

/// <summary>
/// On SQLite the Data Protection keys are XML files in the keys folder beside the database; on PostgreSQL they are rows
/// of DataProtectionKeys (as EF's key store writes them: the file's name as the friendly name, the element as text).
/// Copying them keeps sign-in cookies, antiforgery tokens and the encrypted links of emails still waiting readable.
/// </summary>
public static class KeyRingRows
{
    public const string Table = "DataProtectionKeys";

    /// <summary>The table's own rows, then each key file not among them, numbered after the highest id.</summary>
    public static async IAsyncEnumerable<object?[]> WithKeyFiles(CopyTable table, IAsyncEnumerable<object?[]> rows, string keysFolder)
    {
        int Column(string name) => table.Columns.Select(c => c.Name).ToList().IndexOf(name);
        int id = Column("Id"), friendlyName = Column("FriendlyName"), xml = Column("Xml");
        var lastId = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in rows)
        {
            lastId = Math.Max(lastId, (int)row[id]!);
            if (row[friendlyName] is string name)
                present.Add(name);
            yield return row;
        }
        foreach (var file in Files(keysFolder))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!present.Add(name))
                continue;
            var row = new object?[table.Columns.Count];
            row[id] = ++lastId;
            row[friendlyName] = name;
            row[xml] = XElement.Load(file).ToString(SaveOptions.DisableFormatting);
            yield return row;
        }
    }

    /// <summary>The key files, in name order (the file store names each key-{guid}.xml).</summary>
    public static IReadOnlyList<string> Files(string keysFolder) =>
        Directory.Exists(keysFolder) ? Directory.GetFiles(keysFolder, "*.xml").Order(StringComparer.Ordinal).ToList() : [];
}
