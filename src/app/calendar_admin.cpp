#include "app/calendar_admin.h"

#include <algorithm>

#include "app/audit.h"
#include "app/projection.h"

namespace motcua::app {

namespace bj = boost::json;

Result<void> CalendarAdmin::Check(const Actor& actor) const {
  const domain::Target target{{catalog_->units().Root()->code}, false};
  if (auto allowed = access_.Check(actor, "calendar.manage", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  return {};
}

Result<domain::CalendarOverride> CalendarAdmin::SetDay(const Actor& actor,
                                                       const CalendarDayInput& in) {
  if (auto c = Check(actor); !c) return std::unexpected(c.error());
  if (in.date.year < Catalog::kFirstYear || in.date.year > Catalog::kLastYear) {
    return Fail(ErrorCode::kInvalidArgument, "calendar.year_out_of_range",
                std::to_string(in.date.year));
  }
  if (in.source.empty()) return Fail(ErrorCode::kInvalidArgument, "calendar.source_required");
  // The entry in the data file's own form, checked by the same parser (weekday rules, kinds).
  bj::object entry{{"date", FormatIsoDate(in.date)},
                   {"kind", in.kind},
                   {"name_vi", in.name_vi},
                   {"name_en", in.name_en},
                   {"source", in.source}};
  auto parsed = ParseManagedDay(bj::serialize(entry));
  if (!parsed) return std::unexpected(parsed.error());
  const domain::CalendarOverride day = **parsed;

  std::lock_guard lock(mu_);
  std::vector<domain::CalendarOverride> managed = catalog_->ManagedDays();
  std::erase_if(managed, [&](const auto& m) { return m.date == in.date; });
  managed.push_back(day);
  NewEvent e;
  e.stream = "calendar/" + FormatIsoDate(in.date);
  e.type = "CalendarDaySet";
  e.payload["entry"] = std::move(entry);
  if (auto r = Commit(actor, std::move(e), std::move(managed)); !r) {
    return std::unexpected(r.error());
  }
  return day;
}

Result<bool> CalendarAdmin::ClearDay(const Actor& actor, CivilDate date) {
  if (auto c = Check(actor); !c) return std::unexpected(c.error());
  std::lock_guard lock(mu_);
  std::vector<domain::CalendarOverride> managed = catalog_->ManagedDays();
  const auto before = managed.size();
  std::erase_if(managed, [&](const auto& m) { return m.date == date; });
  if (managed.size() == before) return false;
  NewEvent e;
  e.stream = "calendar/" + FormatIsoDate(date);
  e.type = "CalendarDayCleared";
  e.payload["date"] = FormatIsoDate(date);
  if (auto r = Commit(actor, std::move(e), std::move(managed)); !r) {
    return std::unexpected(r.error());
  }
  return true;
}

Result<void> CalendarAdmin::Commit(const Actor& actor, NewEvent event,
                                   std::vector<domain::CalendarOverride> managed) {
  // Built before the commit, so that a calendar that cannot be built is never recorded.
  auto calendar = catalog_->BuildCalendar(managed);
  if (!calendar) return std::unexpected(calendar.error());
  const std::string root = catalog_->units().Root()->code;
  const std::string target = event.stream;
  event.unit = root;
  event.actor = actor.Ref();
  event.at = clock_.Now();
  const Timestamp at = event.at;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto appended = tx.Append(std::move(event));
    if (!appended) return std::unexpected(appended.error());
    if (auto p = Project(tx, *appended, false); !p) return p;
    return AuditInTx(tx, actor, {"calendar.manage", target, root}, at, appended->seq,
                     appended->seq);
  });
  if (!r) return r;
  catalog_->InstallCalendar(std::move(*calendar), std::move(managed));
  return {};
}

}  // namespace motcua::app
