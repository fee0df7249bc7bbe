using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations
{
    /// <inheritdoc />
    public partial class PortalInvites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProtectedSecret",
                table: "OutboxEmails",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InviteExpiryDays",
                table: "ClinicSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.CreateTable(
                name: "PortalInvites",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    SentByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TemplateId = table.Column<int>(type: "INTEGER", nullable: true),
                    TemplateName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    BodyHtml = table.Column<string>(type: "TEXT", nullable: false),
                    BodyText = table.Column<string>(type: "TEXT", nullable: false),
                    OutboxEmailId = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    FailedIdentityChecks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalInvites", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PortalInvites_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PortalInvites_MessageTemplates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "MessageTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_PortalInvites_OutboxEmails_OutboxEmailId",
                        column: x => x.OutboxEmailId,
                        principalTable: "OutboxEmails",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_ClientId_CreatedAtUtc",
                table: "PortalInvites",
                columns: new[] { "ClientId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OnePendingPerClient",
                table: "PortalInvites",
                column: "ClientId",
                unique: true,
                filter: "Status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_OutboxEmailId",
                table: "PortalInvites",
                column: "OutboxEmailId");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_TemplateId",
                table: "PortalInvites",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_PortalInvites_TokenHash",
                table: "PortalInvites",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PortalInvites");

            migrationBuilder.DropColumn(
                name: "ProtectedSecret",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "InviteExpiryDays",
                table: "ClinicSettings");
        }
    }
}
