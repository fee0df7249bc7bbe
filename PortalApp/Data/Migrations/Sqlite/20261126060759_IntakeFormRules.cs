using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IntakeFormRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "FormRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_AppointmentId_FormRuleId",
                table: "FormAssignments",
                columns: new[] { "AppointmentId", "FormRuleId" },
                unique: true,
                filter: "\"FormRuleId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FormAssignments_AppointmentId_FormRuleId",
                table: "FormAssignments");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "FormRules");
        }
    }
}
