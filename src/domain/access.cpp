#include "domain/access.h"

#include <algorithm>
#include <array>

namespace motcua::domain {

namespace {

constexpr std::array kRoles{
    role::kCitizen,    role::kOneStopOfficer, role::kSpecialist,      role::kLeader,
    role::kClerk,      role::kCommunityTeam,  role::kUnitAdmin,       role::kProvinceAdmin,
    role::kDashboardViewer, role::kAuditor,
};

using S = Scope;
namespace r = role;

// The permission table. A row grants one role one action within a scope; no row, no right.
// Reading it top to bottom is reading the policy: keep it in this one place.
constexpr Permission kTable[] = {
    // Public by design: the catalogue, registration, signing in, password reset.
    {"procedure.read", "*", S::kPublic},
    {"unit.read", "*", S::kPublic},
    {"calendar.read", "*", S::kPublic},
    {"account.register", "*", S::kPublic},
    {"session.create", "*", S::kPublic},
    {"password_reset.request", "*", S::kPublic},
    {"password_reset.complete", "*", S::kPublic},

    // One's own session and credentials.
    {"session.read", "*", S::kAny},
    {"session.delete", "*", S::kAny},
    {"account.change_password", "*", S::kAny},
    {"account.enrol_totp", "*", S::kAny},

    // Dossiers. The domain adds the finer rules (the holder acts; a step's role completes it).
    {"dossier.submit", r::kCitizen, S::kSelf},
    {"dossier.submit", r::kOneStopOfficer, S::kUnit},  // counter, post
    {"dossier.submit", r::kCommunityTeam, S::kUnit},   // assisted
    {"dossier.read", r::kCitizen, S::kSelf},
    {"dossier.read", r::kCommunityTeam, S::kSelf},  // the dossiers the member filed (assisted)
    {"dossier.read", r::kOneStopOfficer, S::kUnit},
    {"dossier.read", r::kSpecialist, S::kUnit},
    {"dossier.read", r::kLeader, S::kUnit},
    {"dossier.read", r::kClerk, S::kUnit},
    {"dossier.read", r::kProvinceAdmin, S::kSubtree},
    {"dossier.read", r::kAuditor, S::kSubtree},
    {"dossier.search", r::kCitizen, S::kSelf},
    {"dossier.search", r::kOneStopOfficer, S::kUnit},
    {"dossier.search", r::kSpecialist, S::kUnit},
    {"dossier.search", r::kLeader, S::kUnit},
    {"dossier.search", r::kClerk, S::kUnit},
    {"dossier.search", r::kProvinceAdmin, S::kSubtree},
    {"dossier.search", r::kAuditor, S::kSubtree},
    {"dossier.receive", r::kOneStopOfficer, S::kUnit},
    {"dossier.refuse", r::kOneStopOfficer, S::kUnit},
    {"dossier.complete_step", r::kOneStopOfficer, S::kUnit},
    {"dossier.complete_step", r::kSpecialist, S::kUnit},
    {"dossier.complete_step", r::kLeader, S::kUnit},
    {"dossier.complete_step", r::kClerk, S::kUnit},
    {"dossier.transfer", r::kOneStopOfficer, S::kUnit},
    {"dossier.transfer", r::kSpecialist, S::kUnit},
    {"dossier.transfer", r::kLeader, S::kUnit},
    {"dossier.consult", r::kSpecialist, S::kUnit},
    {"dossier.consult", r::kLeader, S::kUnit},
    {"dossier.answer_consultation", r::kSpecialist, S::kUnit},
    {"dossier.answer_consultation", r::kLeader, S::kUnit},
    {"dossier.request_supplement", r::kOneStopOfficer, S::kUnit},
    {"dossier.request_supplement", r::kSpecialist, S::kUnit},
    {"dossier.request_supplement", r::kLeader, S::kUnit},
    {"dossier.provide_supplement", r::kCitizen, S::kSelf},
    {"dossier.provide_supplement", r::kOneStopOfficer, S::kUnit},
    {"dossier.apology", r::kLeader, S::kUnit},  // the apology letter is the leader's
    {"dossier.return", r::kOneStopOfficer, S::kUnit},
    {"dossier.withdraw", r::kCitizen, S::kSelf},
    {"dossier.withdraw", r::kOneStopOfficer, S::kUnit},  // written request at the counter
    {"dossier.cancel", r::kLeader, S::kUnit},
    {"dossier.rate", r::kCitizen, S::kSelf},  // the applicant, after the result (766 group 5)

    // Fees and charges (app/payments.h). The applicant pays online; the one-stop officer takes
    // cash at the counter, records an exemption or refunds; the gateway's and the bank's
    // notifications are public routes authenticated by their signatures.
    {"payment.pay", r::kCitizen, S::kSelf},
    {"payment.pay", r::kCommunityTeam, S::kSelf},  // helping the applicant they filed for
    {"payment.pay", r::kOneStopOfficer, S::kUnit},
    {"payment.cash", r::kOneStopOfficer, S::kUnit},
    {"payment.waive", r::kOneStopOfficer, S::kUnit},
    {"payment.waive", r::kLeader, S::kUnit},
    {"payment.refund", r::kOneStopOfficer, S::kUnit},
    {"payment.refund", r::kLeader, S::kUnit},
    {"payment.notify", "*", S::kPublic},
    // Reconciling the bank's statement with the recorded payments: the unit's leader and the
    // administrators (the province's finance staff hold the province administrator role).
    {"payment.reconcile", r::kLeader, S::kUnit},
    {"payment.reconcile", r::kUnitAdmin, S::kSubtree},
    {"payment.reconcile", r::kProvinceAdmin, S::kSubtree},

    // Files of dossier components: uploaded by those who file (a file joins a dossier only
    // through its uploader); read back by the uploader, or through the dossier it belongs to.
    {"file.upload", r::kCitizen, S::kSelf},
    {"file.upload", r::kOneStopOfficer, S::kUnit},
    {"file.upload", r::kCommunityTeam, S::kUnit},
    {"file.read_own", r::kCitizen, S::kSelf},
    {"file.read_own", r::kOneStopOfficer, S::kUnit},
    {"file.read_own", r::kCommunityTeam, S::kUnit},
    // Counter digitisation (app/scans.h): the counter officer confirms the fields read from a
    // scan they uploaded; officers search scanned text (narrowed to what they may read).
    {"file.confirm_fields", r::kOneStopOfficer, S::kUnit},
    {"scan.search", r::kOneStopOfficer, S::kUnit},
    {"scan.search", r::kSpecialist, S::kUnit},
    {"scan.search", r::kLeader, S::kUnit},
    {"scan.search", r::kClerk, S::kUnit},
    // The applicant's data store (domain/holding.h): the holder reads it; the counter officer
    // looks an applicant's holdings up to take one instead of a new copy.
    {"holding.read_own", r::kCitizen, S::kSelf},
    {"holding.read", r::kOneStopOfficer, S::kUnit},
    // Drafts of a submission, kept for the account that writes them.
    {"draft.manage", r::kCitizen, S::kSelf},
    {"draft.manage", r::kCommunityTeam, S::kUnit},
    // The public status lookup by code and a second factor (receipt key or phone digits).
    {"dossier.lookup", "*", S::kPublic},

    // The province's working calendar (days off by a swap, make-up days …): the province.
    {"calendar.manage", r::kProvinceAdmin, S::kSubtree},
    // Certificates (app/pki.h): the province's administrators run the issuing CA.
    {"certificate.manage", r::kProvinceAdmin, S::kSubtree},
    {"certificate.read", r::kProvinceAdmin, S::kSubtree},
    {"certificate.read", r::kUnitAdmin, S::kSubtree},
    {"certificate.read", r::kAuditor, S::kSubtree},
    // Signing a PDF: as oneself (an official's personal signature) or with the unit's seal (the
    // clerk keeps the seal; the leader may seal what they sign). Verification is public.
    {"document.sign_personal", r::kLeader, S::kUnit},
    {"document.sign_personal", r::kClerk, S::kUnit},
    {"document.sign_personal", r::kSpecialist, S::kUnit},
    {"document.sign_personal", r::kOneStopOfficer, S::kUnit},
    {"document.sign_organisation", r::kClerk, S::kUnit},
    {"document.sign_organisation", r::kLeader, S::kUnit},
    {"document.verify", "*", S::kPublic},

    // Accounts of officers: administrators of a unit manage the accounts within it.
    {"account.read", r::kUnitAdmin, S::kSubtree},
    {"account.read", r::kProvinceAdmin, S::kSubtree},
    {"account.create", r::kUnitAdmin, S::kSubtree},
    {"account.create", r::kProvinceAdmin, S::kSubtree},
    {"account.update", r::kUnitAdmin, S::kSubtree},
    {"account.update", r::kProvinceAdmin, S::kSubtree},
    {"api_token.manage", r::kProvinceAdmin, S::kSubtree},

    // The audit trail and the chain check.
    {"audit.read", r::kAuditor, S::kSubtree},
    {"audit.read", r::kProvinceAdmin, S::kSubtree},
    {"audit.verify", r::kAuditor, S::kSubtree},
    {"audit.verify", r::kProvinceAdmin, S::kSubtree},

    // Indicators (issue #9) and the event feed for the national node (federation).
    {"indicator.read", r::kDashboardViewer, S::kSubtree},
    {"indicator.read", r::kLeader, S::kSubtree},
    {"indicator.read", r::kProvinceAdmin, S::kSubtree},
    {"event.export", r::kProvinceAdmin, S::kSubtree},
};

// The units whose records `unit` carries on `date`: itself and, transitively, the dissolved
// predecessors that now point to it (a merged commune's officers keep its predecessors' files).
bool Carries(std::string_view carrier, std::string_view unit, const UnitTree& units,
             CivilDate date) {
  if (carrier == unit) return true;
  const Unit* u = units.Find(unit);
  if (!u || u->ValidOn(date)) return false;
  for (const Unit* c : units.CarriedBy(unit, date)) {
    if (c->code == carrier) return true;
  }
  return false;
}

}  // namespace

std::span<const std::string_view> AllRoles() { return kRoles; }

bool IsKnownRole(std::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

bool IsOfficerRole(std::string_view role) { return IsKnownRole(role) && role != role::kCitizen; }

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::kPublic:
      return "public";
    case Scope::kSelf:
      return "self";
    case Scope::kAny:
      return "any";
    case Scope::kUnit:
      return "unit";
    case Scope::kSubtree:
      return "subtree";
  }
  return "?";
}

std::span<const Permission> PermissionTable() { return kTable; }

std::vector<std::string_view> AllActions() {
  std::vector<std::string_view> out;
  for (const Permission& p : kTable) {
    if (std::find(out.begin(), out.end(), p.action) == out.end()) out.push_back(p.action);
  }
  return out;
}

bool IsKnownAction(std::string_view action) {
  return std::any_of(std::begin(kTable), std::end(kTable),
                     [&](const Permission& p) { return p.action == action; });
}

bool Covers(const Grant& g, Scope scope, std::string_view unit, const UnitTree& units,
            CivilDate date) {
  if (g.unit.empty() || unit.empty()) return false;
  switch (scope) {
    case Scope::kUnit:
      return Carries(g.unit, unit, units, date);
    case Scope::kSubtree:
      if (units.IsWithin(unit, g.unit)) return true;
      // A dissolved unit's records are reached through the units that carry them now.
      for (const Unit* c : units.CarriedBy(unit, date)) {
        if (c->code != unit && units.IsWithin(c->code, g.unit)) return true;
      }
      return false;
    case Scope::kPublic:
    case Scope::kSelf:
    case Scope::kAny:
      return false;
  }
  return false;
}

std::vector<std::string> UnitsReached(const Grant& g, Scope scope, const UnitTree& units,
                                      CivilDate date) {
  std::vector<std::string> out;
  if (g.unit.empty() || (scope != Scope::kUnit && scope != Scope::kSubtree)) return out;
  for (const Unit& u : units.units()) {
    if (Covers(g, scope, u.code, units, date)) out.push_back(u.code);
  }
  return out;
}

std::vector<ScopedGrant> GrantsFor(const Principal& p, std::string_view action) {
  std::vector<ScopedGrant> out;
  for (const Permission& row : kTable) {
    if (row.action != action) continue;
    for (const Grant& g : p.grants) {
      if (row.role == g.role) out.push_back({g, row.scope});
    }
  }
  return out;
}

Decision Decide(const Principal& p, std::string_view action, const Target& target,
                const UnitTree& units, CivilDate date) {
  Decision d;
  bool known = false, has_role = false;
  for (const Permission& row : kTable) {
    if (row.action != action) continue;
    known = true;
    if (row.scope == Scope::kPublic) {
      d.allowed = true;
      d.reason = "public";
      return d;
    }
    if (!p.authenticated) continue;
    if (row.scope == Scope::kAny) {
      d.allowed = true;
      d.reason = "any";
      return d;
    }
    for (const Grant& g : p.grants) {
      if (row.role != g.role) continue;
      has_role = true;
      bool ok = false;
      if (row.scope == Scope::kSelf) {
        ok = target.own;
      } else {
        ok = std::any_of(target.units.begin(), target.units.end(), [&](const std::string& u) {
          return Covers(g, row.scope, u, units, date);
        });
      }
      if (ok) {
        d.allowed = true;
        d.reason = std::string(ScopeName(row.scope));
        d.role = g.role;
        return d;
      }
    }
  }
  d.reason = !known ? "unknown_action" : !p.authenticated ? "unauthenticated"
             : has_role                ? "out_of_scope"
                                       : "no_role";
  return d;
}

namespace {
constexpr std::array<std::string_view, 8> kTokenScopes{
    "dossiers:read", "dossiers:write",  "accounts:read", "accounts:write",
    "audit:read",    "indicators:read", "events:read",   "payments:reconcile",
};
}  // namespace

std::span<const std::string_view> AllTokenScopes() { return kTokenScopes; }

std::string_view TokenScopeFor(std::string_view action) {
  // Public by design (no token needed) or a person's own (drafts): no scope grants them.
  if (action == "dossier.lookup" || action == "draft.manage" || action == "calendar.manage" ||
      action == "holding.read_own" ||
      action.starts_with("certificate.") || action.starts_with("document.")) {
    return "";
  }
  // The gateway's and the bank's notifications carry their own signatures, not tokens.
  if (action == "payment.notify") return "";
  if (action == "payment.reconcile") return "payments:reconcile";
  if (action.starts_with("payment.")) return "dossiers:write";  // a counter kiosk takes cash
  if (action == "dossier.read" || action == "dossier.search") return "dossiers:read";
  if (action == "file.upload") return "dossiers:write";
  if (action == "file.read_own") return "dossiers:read";
  if (action == "file.confirm_fields") return "dossiers:write";
  if (action == "scan.search") return "dossiers:read";
  if (action == "holding.read") return "dossiers:read";
  if (action.starts_with("dossier.")) return "dossiers:write";
  if (action == "account.read") return "accounts:read";
  if (action == "account.create" || action == "account.update") return "accounts:write";
  if (action.starts_with("audit.")) return "audit:read";
  if (action == "indicator.read") return "indicators:read";
  if (action == "event.export") return "events:read";
  return "";
}

}  // namespace motcua::domain
