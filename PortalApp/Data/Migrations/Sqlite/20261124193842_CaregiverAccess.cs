using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaregiverAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites");

            migrationBuilder.AddColumn<long>(
                name: "CaregiverAccessId",
                table: "PortalInvites",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OnBehalfOfName",
                table: "ConversationMessages",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CaregiverIdentityChecks",
                table: "ClinicSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.CreateTable(
                name: "CaregiverAccesses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PatientClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    CaregiverClientId = table.Column<int>(type: "INTEGER", nullable: true),
                    FirstName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    Relationship = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PortalUserId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActivatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaregiverAccesses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaregiverAccesses_AspNetUsers_PortalUserId",
                        column: x => x.PortalUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_CaregiverAccesses_Clients_CaregiverClientId",
                        column: x => x.CaregiverClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_CaregiverAccesses_Clients_PatientClientId",
                        column: x => x.PatientClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "IX_CaregiverAccesses_CaregiverClientId",
                table: "CaregiverAccesses",
                column: "CaregiverClientId");

            migrationBuilder.CreateIndex(
                name: "IX_CaregiverAccesses_OneOpenPerCaregiverAndPatient",
                table: "CaregiverAccesses",
                columns: new[] { "PatientClientId", "NormalizedEmail" },
                unique: true,
                filter: "Status <> 'Ended'");

            migrationBuilder.CreateIndex(
                name: "IX_CaregiverAccesses_PortalUserId",
                table: "CaregiverAccesses",
                column: "PortalUserId");

            migrationBuilder.AddForeignKey(
                name: "FK_PortalInvites_CaregiverAccesses_CaregiverAccessId",
                table: "PortalInvites",
                column: "CaregiverAccessId",
                principalTable: "CaregiverAccesses",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PortalInvites_CaregiverAccesses_CaregiverAccessId",
                table: "PortalInvites");

            migrationBuilder.DropTable(
                name: "CaregiverAccesses");

            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerCaregiver",
                table: "PortalInvites");

            migrationBuilder.DropIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites");

            migrationBuilder.DropColumn(
                name: "CaregiverAccessId",
                table: "PortalInvites");

            migrationBuilder.DropColumn(
                name: "OnBehalfOfName",
                table: "ConversationMessages");

            migrationBuilder.DropColumn(
                name: "CaregiverIdentityChecks",
                table: "ClinicSettings");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites",
                column: "ClientId",
                unique: true,
                filter: "Status = 'Pending'");
        }
    }
}
