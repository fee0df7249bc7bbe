using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations.Sqlite
{
    /// <summary>
    /// The audit log is append-only in the database itself (HIPAA 164.312(b)): whatever opens the file, app or sqlite3,
    /// an UPDATE or DELETE of an audit row is aborted. SQLite drops a table's triggers with the table, so a later
    /// migration that rebuilds AuditEvents must create these again (AuditLogAppendOnlyTests runs every migration).
    /// </summary>
    public partial class AuditLogAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER AuditEvents_NoUpdate BEFORE UPDATE ON AuditEvents
                BEGIN
                    SELECT RAISE(ABORT, 'The audit log is append-only: an audit event cannot be changed.');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER AuditEvents_NoDelete BEFORE DELETE ON AuditEvents
                BEGIN
                    SELECT RAISE(ABORT, 'The audit log is append-only: an audit event cannot be deleted.');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEvents_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEvents_NoDelete;");
        }
    }
}
