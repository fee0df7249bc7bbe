using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProviderNeutralFiltersAndKeyRing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerCaregiver",
                table: "PortalInvites");

            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites");

            migrationBuilder.DropIndex(
                name: "IX_MessageTemplates_OneDefaultPerKind",
                table: "MessageTemplates");

            migrationBuilder.DropCheckConstraint(
                name: "CK_ClinicSettings_Singleton",
                table: "ClinicSettings");

            migrationBuilder.DropIndex(
                name: "IX_Clients_ExternalId",
                table: "Clients");

            migrationBuilder.DropIndex(
                name: "IX_CaregiverAccesses_OneOpenPerCaregiverAndPatient",
                table: "CaregiverAccesses");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_ClientId",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_Appointments_ExternalId",
                table: "Appointments");

            migrationBuilder.DropIndex(
                name: "IX_AccountTokens_OnePendingPerPurpose",
                table: "AccountTokens");

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OnePendingPerCaregiver",
                table: "PortalInvites",
                column: "CaregiverAccessId",
                unique: true,
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites",
                column: "ClientId",
                unique: true,
                filter: "\"Status\" = 'Pending' AND \"CaregiverAccessId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MessageTemplates_OneDefaultPerKind",
                table: "MessageTemplates",
                column: "Kind",
                unique: true,
                filter: "\"IsDefault\"");

            migrationBuilder.AddCheckConstraint(
                name: "CK_ClinicSettings_Singleton",
                table: "ClinicSettings",
                sql: "\"Id\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_Clients_ExternalId",
                table: "Clients",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CaregiverAccesses_OneOpenPerCaregiverAndPatient",
                table: "CaregiverAccesses",
                columns: new[] { "PatientClientId", "NormalizedEmail" },
                unique: true,
                filter: "\"Status\" <> 'Ended'");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_ClientId",
                table: "AspNetUsers",
                column: "ClientId",
                unique: true,
                filter: "\"ClientId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Appointments_ExternalId",
                table: "Appointments",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AccountTokens_OnePendingPerPurpose",
                table: "AccountTokens",
                columns: new[] { "UserId", "Purpose" },
                unique: true,
                filter: "\"Status\" = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerCaregiver",
                table: "PortalInvites");

            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites");

            migrationBuilder.DropIndex(
                name: "IX_MessageTemplates_OneDefaultPerKind",
                table: "MessageTemplates");

            migrationBuilder.DropCheckConstraint(
                name: "CK_ClinicSettings_Singleton",
                table: "ClinicSettings");

            migrationBuilder.DropIndex(
                name: "IX_Clients_ExternalId",
                table: "Clients");

            migrationBuilder.DropIndex(
                name: "IX_CaregiverAccesses_OneOpenPerCaregiverAndPatient",
                table: "CaregiverAccesses");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_ClientId",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_Appointments_ExternalId",
                table: "Appointments");

            migrationBuilder.DropIndex(
                name: "IX_AccountTokens_OnePendingPerPurpose",
                table: "AccountTokens");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OnePendingPerCaregiver",
                table: "PortalInvites",
                column: "CaregiverAccessId",
                unique: true,
                filter: "Status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites",
                column: "ClientId",
                unique: true,
                filter: "Status = 'Pending' AND CaregiverAccessId IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MessageTemplates_OneDefaultPerKind",
                table: "MessageTemplates",
                column: "Kind",
                unique: true,
                filter: "IsDefault = 1");

            migrationBuilder.AddCheckConstraint(
                name: "CK_ClinicSettings_Singleton",
                table: "ClinicSettings",
                sql: "Id = 1");

            migrationBuilder.CreateIndex(
                name: "IX_Clients_ExternalId",
                table: "Clients",
                column: "ExternalId",
                unique: true,
                filter: "ExternalId IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CaregiverAccesses_OneOpenPerCaregiverAndPatient",
                table: "CaregiverAccesses",
                columns: new[] { "PatientClientId", "NormalizedEmail" },
                unique: true,
                filter: "Status <> 'Ended'");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_ClientId",
                table: "AspNetUsers",
                column: "ClientId",
                unique: true,
                filter: "ClientId IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Appointments_ExternalId",
                table: "Appointments",
                column: "ExternalId",
                unique: true,
                filter: "ExternalId IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AccountTokens_OnePendingPerPurpose",
                table: "AccountTokens",
                columns: new[] { "UserId", "Purpose" },
                unique: true,
                filter: "Status = 'Pending'");
        }
    }
}
