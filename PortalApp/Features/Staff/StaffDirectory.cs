using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Staff;

/// <summary>The Staff page's list: every staff account with its roles, status, last sign-in, two-factor and practitioner record.</summary>
public sealed class StaffDirectory(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<StaffRow>> ListAsync(string? search, CancellationToken ct = default)
    {
        var term = (search ?? "").Trim();
        if (term.Length > StaffRules.SearchMaxLength)
            term = term[..StaffRules.SearchMaxLength];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staffRoleIds = await db.Roles.Where(r => StaffRoles.All.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        var query = db.Users.AsNoTracking().Where(u => db.UserRoles.Any(r => r.UserId == u.Id && staffRoleIds.Contains(r.RoleId)));
        if (term.Length > 0)
            query = query.Where(u => u.DisplayName.Contains(term) || u.Email!.Contains(term));
        var rows = await query.OrderBy(u => u.DisplayName).Take(500)
            .Select(u => new
            {
                u.Id, u.DisplayName, u.Email, u.PasswordHash, u.LockoutEnd, u.DisabledAtUtc, u.LastSignInAtUtc, u.TwoFactorEnabled,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                Practitioner = db.Practitioners.Where(p => p.StaffUserId == u.Id).Select(p => new { p.Id, p.DisplayName }).FirstOrDefault(),
                InviteExpires = db.AccountTokens.Where(t => t.UserId == u.Id && t.Purpose == AccountTokenPurpose.StaffInvite && t.Status == AccountTokenStatus.Pending)
                    .Select(t => (DateTime?)t.ExpiresAtUtc).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var now = time.GetUtcNow();
        return rows.Select(u => new StaffRow(u.Id, u.DisplayName, u.Email ?? "", u.Roles.Order().ToList(),
                u.DisabledAtUtc is not null ? StaffStatus.Disabled
                : u.PasswordHash is null ? StaffStatus.Invited
                : u.LockoutEnd > now ? StaffStatus.Locked
                : StaffStatus.Active,
                u.LastSignInAtUtc, u.TwoFactorEnabled, u.Practitioner?.Id, u.Practitioner?.DisplayName, u.InviteExpires))
            .ToList();
    }

    public async Task<IReadOnlyList<PractitionerOption>> PractitionersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Practitioners.AsNoTracking().OrderBy(p => p.DisplayName)
            .Select(p => new PractitionerOption(p.Id, p.DisplayName, db.Users.Where(u => u.Id == p.StaffUserId).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(ct);
    }
}
