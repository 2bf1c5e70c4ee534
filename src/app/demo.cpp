#include "app/demo.h"

#include <algorithm>
#include <queue>
#include <random>

namespace motcua::app {

using domain::Channel;
using domain::Dossier;
using domain::DossierState;

std::vector<DemoOfficer> DemoOfficers(const Catalog& catalog) {
  std::vector<DemoOfficer> out;
  for (const auto& u : catalog.units().units()) {
    if (u.level == domain::UnitLevel::kProvince) continue;
    for (const char* role : {"one_stop_officer", "specialist", "leader", "clerk"}) {
      out.push_back({u.code + "." + role, u.code, role});
    }
  }
  return out;
}

namespace {

// Deterministic random helpers (the standard distributions are implementation-defined).
class Rng {
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  double Uniform() { return static_cast<double>(g_() >> 11) * (1.0 / 9007199254740992.0); }
  int64_t Range(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(g_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(g_() % v.size())];
  }

 private:
  std::mt19937_64 g_;
};

enum class Action : uint8_t {
  kSubmit,
  kReceive,
  kRefuse,
  kPreSupplement,
  kSupplementAnswer,
  kStep,
  kSupplement,
  kApology,
  kReturn,
  kWithdraw,
  kCancel,
};

struct Pending {
  Timestamp at;
  uint64_t order;
  int32_t idx;
  Action action;
  bool operator>(const Pending& o) const {
    return at.us != o.at.us ? at.us > o.at.us : order > o.order;
  }
};

struct Plan {
  std::string code;
  std::string applicant_id;
  int32_t procedure = 0;
  Channel channel = Channel::kOnline;
  bool refuse = false;
  bool pre_supplement = false;
  bool withdraw = false;
  bool cancel = false;
  bool late = false;
  bool apology = false;
  int8_t supplement_rounds = 0;
  int8_t supplement_at_step = 0;
  int8_t late_step = 0;
  int8_t stop_at_step = 0;  // withdraw/cancel happen before this step
  int8_t supplements_done = 0;
};

constexpr const char* kFamily[] = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng", "Huỳnh",
                                   "Phan",   "Vũ",   "Võ",    "Đặng", "Bùi",   "Đỗ",
                                   "Hồ",     "Ngô",  "Dương", "Lý"};
constexpr const char* kMiddle[] = {"Văn", "Thị",   "Minh", "Ngọc", "Hữu", "Thanh",
                                   "Đức", "Quang", "Thu",  "Kim",  "Gia", "Bảo"};
constexpr const char* kGiven[] = {"An",   "Bình", "Chi",  "Dũng",  "Giang", "Hà",    "Hải",  "Hạnh",
                                  "Hiếu", "Hoa",  "Hùng", "Hương", "Khánh", "Lan",   "Linh", "Long",
                                  "Mai",  "Minh", "Nam",  "Ngân",  "Nhung", "Phong", "Phúc", "Quân",
                                  "Sơn",  "Tâm",  "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vy"};

template <size_t N>
const char* PickName(Rng& rng, const char* const (&arr)[N]) {
  return arr[rng.Range(0, N - 1)];
}

double FieldWeight(const std::string& field) {
  if (field == "ho_tich") return 6.0;
  if (field == "chung_thuc") return 8.0;
  if (field == "cu_tru") return 4.0;
  if (field == "ho_kinh_doanh") return 1.5;
  if (field == "dat_dai") return 2.0;
  if (field == "xay_dung") return 1.0;
  return 0.6;
}

class Generator {
 public:
  Generator(store::Store& store, std::shared_ptr<const Catalog> catalog, FixedClock& clock,
            const DemoOptions& options)
      : store_(store),
        catalog_(*catalog),
        clock_(clock),
        options_(options),
        lifecycle_(store, catalog, clock),
        rng_(options.seed) {}

  Result<DemoStats> Run() {
    const auto& procs = catalog_.procedures().procedures();
    double total = 0;
    for (const auto& p : procs)
      total += FieldWeight(p.field) / static_cast<double>(p.steps.size() > 0 ? 1 : 1);
    for (const auto& p : procs) {
      cumulative_.push_back((cumulative_.empty() ? 0.0 : cumulative_.back()) +
                            FieldWeight(p.field) / total);
    }
    end_ = FromVietnamLocal(options_.until, 24 * 60 - 1);
    if (options_.stop_at && *options_.stop_at < end_) end_ = *options_.stop_at;
    const int64_t first_day = DaysFromCivil(options_.from);
    const int64_t days = DaysFromCivil(options_.until) - first_day + 1;
    if (days <= 0 || options_.dossiers < 0) {
      return Fail(ErrorCode::kInvalidArgument, "demo.bad_range", "until must be after from");
    }
    // Submission instants: a working day chosen uniformly, an hour by channel later.
    const auto& std_sched = catalog_.Schedule("standard");
    std::vector<int64_t> working_days;
    for (int64_t d = 0; d < days; ++d) {
      if (catalog_.calendar().IsWorkingDay(CivilFromDays(first_day + d), std_sched)) {
        working_days.push_back(first_day + d);
      }
    }
    if (working_days.empty()) return Fail(ErrorCode::kInvalidArgument, "demo.bad_range");
    plans_.resize(static_cast<size_t>(options_.dossiers));
    for (int64_t i = 0; i < options_.dossiers; ++i) {
      Plan& plan = plans_[static_cast<size_t>(i)];
      const double u = rng_.Uniform();
      plan.procedure = static_cast<int32_t>(
          std::lower_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
      plan.procedure = std::min<int32_t>(plan.procedure, static_cast<int32_t>(procs.size() - 1));
      const domain::Procedure& proc = procs[plan.procedure];
      // Channel: online where the procedure offers it (seed reports: most dossiers online).
      const double c = rng_.Uniform();
      if (proc.online_level != domain::OnlineLevel::kNone) {
        plan.channel = c < 0.60   ? Channel::kOnline
                       : c < 0.90 ? Channel::kCounter
                       : c < 0.93 ? Channel::kPost
                                  : Channel::kAssisted;
      } else {
        plan.channel = c < 0.93 ? Channel::kCounter : Channel::kPost;
      }
      const int64_t day = rng_.Pick(working_days);
      // 07:30 .. 16:59 local for most; online ones may arrive in the evening or at weekends.
      int64_t minute = rng_.Range(7 * 60 + 30, 16 * 60 + 59);
      int64_t shift_days = 0;
      const bool desk = plan.channel == Channel::kCounter || plan.channel == Channel::kPost;
      if (!desk && rng_.Chance(0.12)) {
        minute = rng_.Range(17 * 60 + 30, 22 * 60 + 30);
        if (rng_.Chance(0.3)) shift_days = rng_.Range(1, 2);
      }
      Timestamp at = FromVietnamLocal(CivilFromDays(day + shift_days), static_cast<int>(minute));
      // Counter intake happens during office hours (postal dossiers are opened then too).
      if (desk) at = catalog_.calendar().NextWorkingMoment(at, std_sched);
      Push(at, static_cast<int32_t>(i), Action::kSubmit);
    }
    while (!queue_.empty() && queue_.top().at <= end_) {
      auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
        for (int k = 0; k < options_.batch && !queue_.empty() && queue_.top().at <= end_; ++k) {
          Pending p = queue_.top();
          queue_.pop();
          clock_.Set(p.at);
          if (auto x = Execute(tx, p); !x) {
            Error e = x.error();
            e.detail = "demo action " + std::to_string(static_cast<int>(p.action)) + " on " +
                       plans_[p.idx].code + ": " + e.detail;
            return std::unexpected(e);
          }
          ++stats_.actions;
        }
        return {};
      });
      if (!r) return std::unexpected(r.error());
    }
    stats_.open = static_cast<int64_t>(queue_.size());
    auto head = store_.HeadSeq();
    if (head) stats_.events = *head;
    return stats_;
  }

 private:
  void Push(Timestamp at, int32_t idx, Action a) { queue_.push(Pending{at, order_++, idx, a}); }

  const domain::WorkSchedule& Sched(const Dossier& d) const {
    return catalog_.Schedule(d.schedule);
  }
  Timestamp After(const Dossier& d, Timestamp from, int64_t working_minutes) const {
    return catalog_.calendar().AddWorkingMinutes(from, std::max<int64_t>(working_minutes, 1),
                                                 Sched(d));
  }
  Actor Officer(const std::string& unit, const std::string& role) const {
    return Actor{Actor::Kind::kOfficer, unit + "." + role, unit, {role}};
  }
  Actor Citizen(const Plan& p) const {
    return Actor{Actor::Kind::kCitizen, p.applicant_id, "", {}};
  }

  std::string RandomCccd() {
    static const std::vector<std::string> kProvinces = {"051", "052", "062", "049", "054"};
    std::string s = rng_.Pick(kProvinces);
    const int64_t year = rng_.Range(1950, 2006);
    s += std::to_string((year >= 2000 ? 2 : 0) + rng_.Range(0, 1));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d%06d", static_cast<int>(year % 100),
                  static_cast<int>(rng_.Range(0, 999999)));
    return s + buf;
  }

  Result<void> Execute(store::Tx& tx, const Pending& p) {
    Plan& plan = plans_[p.idx];
    if (p.action == Action::kSubmit) return DoSubmit(tx, p.idx, plan);
    // The unit holding the dossier may have been dissolved since (1 March / 1 July 2025): the
    // unit that carries its records continues the work.
    auto current = lifecycle_.ActInTx(
        tx, Actor::System(), "dossier.read", plan.code, [](const Dossier&, const domain::Context&) {
          return Result<std::vector<NewEvent>>(std::vector<NewEvent>{});
        });
    if (!current) return std::unexpected(current.error());
    Dossier d = std::move(*current);
    const CivilDate today = ToVietnamLocal(p.at).date;
    const domain::Unit* holder = catalog_.units().Find(d.current_unit);
    if (holder && !holder->ValidOn(today)) {
      auto carried = catalog_.units().CarriedBy(d.current_unit, today);
      if (carried.empty()) return Fail(ErrorCode::kInternal, "demo.no_successor", d.current_unit);
      const bool competent = d.current_unit == d.competent_unit;
      const std::string to = carried.front()->code;
      auto moved = lifecycle_.ActInTx(
          tx, Actor::System(), "dossier.transfer", plan.code, [&](const Dossier& x, const domain::Context& ctx) {
            return domain::Transfer(x, to, competent,
                                    "Sắp xếp đơn vị hành chính: đơn vị kế thừa tiếp tục giải quyết",
                                    ctx);
          });
      if (!moved) return std::unexpected(moved.error());
      d = std::move(*moved);
      ++stats_.reorganisation_transfers;
    }
    switch (p.action) {
      case Action::kReceive:
        return DoReceive(tx, p, plan, d);
      case Action::kRefuse: {
        auto r = lifecycle_.ActInTx(
            tx, Officer(d.current_unit, "one_stop_officer"), "dossier.refuse", plan.code,
            [&](const Dossier& x, const domain::Context& ctx) {
              return domain::Refuse(x, "Hồ sơ không thuộc thẩm quyền / không đủ điều kiện", ctx);
            });
        if (!r) return std::unexpected(r.error());
        ++stats_.refused;
        return {};
      }
      case Action::kPreSupplement: {
        auto r = lifecycle_.ActInTx(tx, Officer(d.current_unit, "one_stop_officer"), "dossier.request_supplement", plan.code,
                                    [&](const Dossier& x, const domain::Context& ctx) {
                                      return domain::RequestSupplement(
                                          x, "Thiếu thành phần hồ sơ theo quy định",
                                          {x.components.front().code}, ctx);
                                    });
        if (!r) return std::unexpected(r.error());
        ++stats_.supplements;
        Push(After(*r, p.at, rng_.Range(450, 3 * 450)), p.idx, Action::kSupplementAnswer);
        return {};
      }
      case Action::kSupplementAnswer: {
        auto r = lifecycle_.ActInTx(
            tx, Citizen(plan), "dossier.provide_supplement", plan.code, [&](const Dossier& x, const domain::Context& ctx) {
              return domain::ProvideSupplement(
                  x, {{x.components.front().code, "", true, false, ""}}, ctx);
            });
        if (!r) return std::unexpected(r.error());
        if (r->state == DossierState::kSubmitted) {
          Push(After(*r, p.at, rng_.Range(30, 240)), p.idx, Action::kReceive);
        } else {
          ScheduleNext(p.idx, plan, *r, p.at);
        }
        return {};
      }
      case Action::kStep: {
        const auto& step = d.steps[d.current_step];
        auto r = lifecycle_.ActInTx(tx, Officer(d.current_unit, step.role), "dossier.complete_step", plan.code,
                                    [&](const Dossier& x, const domain::Context& ctx) {
                                      return domain::CompleteStep(x, "", ctx);
                                    });
        if (!r) return std::unexpected(r.error());
        if (r->state == DossierState::kResultReady) {
          if (r->due_at && r->finished_at && *r->finished_at > *r->due_at) ++stats_.late;
          Push(After(*r, p.at, rng_.Range(10, 3 * 450)), p.idx, Action::kReturn);
          return {};
        }
        ScheduleNext(p.idx, plan, *r, p.at);
        return {};
      }
      case Action::kSupplement: {
        const auto& step = d.steps[d.current_step];
        // The specialist handling the step asks (a clerk's step is handled by a specialist).
        const std::string who = step.role == "clerk" ? "specialist" : step.role;
        auto r = lifecycle_.ActInTx(tx, Officer(d.current_unit, who), "dossier.request_supplement",
                                    plan.code,
                                    [&](const Dossier& x, const domain::Context& ctx) {
                                      return domain::RequestSupplement(
                                          x, "Đề nghị bổ sung, làm rõ thông tin",
                                          {x.components.back().code}, ctx);
                                    });
        if (!r) return std::unexpected(r.error());
        ++plan.supplements_done;
        ++stats_.supplements;
        Push(After(*r, p.at, rng_.Range(450, 5 * 450)), p.idx, Action::kSupplementAnswer);
        return {};
      }
      case Action::kApology: {
        auto r = lifecycle_.ActInTx(
            tx, Officer(d.current_unit, "leader"), "dossier.apology", plan.code,
            [&](const Dossier& x, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
              if (!x.due_at) return std::vector<NewEvent>{};
              return domain::IssueApology(x, After(x, *x.due_at, 3 * 450),
                                          "Hồ sơ cần xác minh thêm, xin lỗi và hẹn lại", ctx);
            });
        if (!r) return std::unexpected(r.error());
        return {};
      }
      case Action::kReturn: {
        auto paid = PayIfDue(tx, plan, std::move(d));
        if (!paid) return std::unexpected(paid.error());
        d = std::move(*paid);
        const double u = rng_.Uniform();
        const char* ch = u < 0.55 ? "counter" : (u < 0.9 ? "online" : "post");
        auto r = lifecycle_.ActInTx(tx, Officer(d.current_unit, "one_stop_officer"), "dossier.return", plan.code,
                                    [&](const Dossier& x, const domain::Context& ctx) {
                                      return domain::Return(x, ch, ctx);
                                    });
        if (!r) return std::unexpected(r.error());
        ++stats_.returned;
        return {};
      }
      case Action::kWithdraw: {
        auto r = lifecycle_.ActInTx(tx, Citizen(plan), "dossier.withdraw", plan.code,
                                    [&](const Dossier& x, const domain::Context& ctx) {
                                      return domain::Withdraw(x, "Công dân đề nghị rút hồ sơ", ctx);
                                    });
        if (!r) return std::unexpected(r.error());
        ++stats_.withdrawn;
        return {};
      }
      case Action::kCancel: {
        auto r = lifecycle_.ActInTx(
            tx, Officer(d.current_unit, "leader"), "dossier.cancel", plan.code,
            [&](const Dossier& x, const domain::Context& ctx) {
              return domain::Cancel(x, "Dừng xử lý theo đề nghị của cơ quan có thẩm quyền", ctx);
            });
        if (!r) return std::unexpected(r.error());
        ++stats_.cancelled;
        return {};
      }
      case Action::kSubmit:
        break;
    }
    return {};
  }

  Result<void> DoSubmit(store::Tx& tx, int32_t idx, Plan& plan) {
    const auto& procs = catalog_.procedures().procedures();
    const domain::Procedure& proc = procs[plan.procedure];
    const Timestamp now = clock_.Now();
    const CivilDate today = ToVietnamLocal(now).date;
    SubmitRequest req;
    req.procedure_code = proc.code;
    req.channel = plan.channel;
    const std::vector<const domain::Unit*> communes =
        catalog_.units().UnitsOn(domain::UnitLevel::kCommune, today);
    const domain::Unit* commune = communes[static_cast<size_t>(rng_.Range(0, communes.size() - 1))];
    const std::vector<const domain::Unit*> centres =
        catalog_.units().UnitsOn(domain::UnitLevel::kServiceCentre, today);
    if (proc.competent_level == "commune") {
      req.competent_unit = commune->code;
      // Since 1 July 2025 the provincial centre receives regardless of administrative boundary.
      const bool at_centre =
          !centres.empty() && today >= CivilDate{2025, 7, 1} && rng_.Chance(0.12);
      req.receiving_unit = at_centre ? centres.front()->code : commune->code;
    } else {
      if (centres.empty()) return Fail(ErrorCode::kInternal, "demo.no_centre");
      req.receiving_unit = centres.front()->code;
    }
    domain::Applicant a;
    a.kind = "person";
    a.id_kind = domain::IdKind::kCitizenId;
    a.id_number = RandomCccd();
    a.name = std::string(PickName(rng_, kFamily)) + " " + PickName(rng_, kMiddle) + " " +
             PickName(rng_, kGiven);
    char phone[16];
    std::snprintf(phone, sizeof phone, "09%08d", static_cast<int>(rng_.Range(0, 99999999)));
    a.phone = phone;
    a.address = commune->name + ", " + catalog_.units().Root()->name;
    a.identity_verified = plan.channel != Channel::kCounter && rng_.Chance(0.75);
    req.applicant = a;
    plan.applicant_id = a.id_number;
    if (plan.channel == Channel::kAssisted) req.assisted_by = "tcns-" + commune->code;
    // An applicant identified through VNeID online need not copy their identity card: the
    // portal takes it from the national population database (app/holdings.h).
    const bool from_vneid = plan.channel != Channel::kCounter && a.identity_verified;
    for (const auto& comp : proc.components) {
      if (comp.required || rng_.Chance(0.5)) {
        const bool reused = from_vneid && comp.doc_type == "giay_to_tuy_than";
        req.components.push_back({comp.code, comp.name, true, false, reused ? "vneid" : ""});
      }
    }
    const bool late_fee = std::any_of(proc.fees.begin(), proc.fees.end(), [](const auto& fee) {
      return fee.condition == "late_registration";
    });
    if (late_fee && rng_.Chance(0.08)) req.fee_conditions.push_back("late_registration");
    // A few applicants belong to an exempt group (poor households, people with merit …).
    if (!proc.exemptions.empty() && rng_.Chance(0.03)) req.exemption = proc.exemptions.front();
    Actor actor = Citizen(plan);
    if (plan.channel == Channel::kCounter || plan.channel == Channel::kPost) {
      actor = Officer(req.receiving_unit, "one_stop_officer");
    } else if (plan.channel == Channel::kAssisted) {
      // A community digital team member working with the receiving unit files on the citizen's
      // behalf (both identities are recorded: the applicant and assisted_by).
      actor = Actor{
          Actor::Kind::kOfficer, req.assisted_by, req.receiving_unit, {"community_digital_team"}};
    }
    // Fates, in the proportions of the seed reports: ~1% refused, ~3% guided to supplement
    // before receipt, ~6% supplements during processing (a tenth of them twice), ~1% withdrawn,
    // 0.3% stopped, ~1.5% late (most with an apology).
    plan.refuse = plan.channel != Channel::kCounter && rng_.Chance(0.01);
    plan.pre_supplement = !plan.refuse && plan.channel != Channel::kCounter && rng_.Chance(0.03);
    plan.supplement_rounds = rng_.Chance(0.06) ? (rng_.Chance(0.1) ? 2 : 1) : 0;
    plan.withdraw = rng_.Chance(0.01);
    plan.cancel = !plan.withdraw && rng_.Chance(0.003);
    plan.late = rng_.Chance(0.015);
    plan.apology = plan.late && rng_.Chance(0.6);
    const int steps = static_cast<int>(proc.steps.size());
    plan.supplement_at_step = static_cast<int8_t>(rng_.Range(0, steps - 1));
    plan.late_step = static_cast<int8_t>(rng_.Range(0, steps - 1));
    plan.stop_at_step = static_cast<int8_t>(rng_.Range(0, steps - 1));
    if (plan.channel == Channel::kCounter || plan.channel == Channel::kPost) {
      req.receive_now = true;
      req.paid_cash = true;  // fees due before receipt are taken at the counter
      for (const auto& comp : req.components) {
        if (rng_.Chance(0.95)) req.digitised.push_back(comp.code);
      }
    }
    auto d = lifecycle_.SubmitInTx(tx, actor, req);
    if (!d) return std::unexpected(d.error());
    plan.code = d->code;
    ++stats_.dossiers;
    ++stats_.by_channel[std::string(domain::ChannelName(plan.channel))];
    if (options_.progress && stats_.dossiers % 10000 == 0) {
      options_.progress(stats_.dossiers, options_.dossiers);
    }
    const Timestamp t = clock_.Now();
    if (d->state == DossierState::kReceived) {
      ScheduleNext(idx, plan, *d, t);
    } else if (plan.refuse) {
      Push(After(*d, t, rng_.Range(30, 900)), idx, Action::kRefuse);
    } else if (plan.pre_supplement) {
      Push(After(*d, t, rng_.Range(30, 900)), idx, Action::kPreSupplement);
    } else {
      Push(After(*d, t, rng_.Range(30, 900)), idx, Action::kReceive);
    }
    return {};
  }

  // The applicant pays what is due just before the stage that needs it: online dossiers through
  // the gateway or by a VietQR bank transfer, the others in cash at the counter.
  Result<Dossier> PayIfDue(store::Tx& tx, const Plan& plan, Dossier d) {
    if (!d.payment.Due()) return d;
    const bool online = plan.channel == Channel::kOnline || plan.channel == Channel::kAssisted;
    const bool transfer = online && rng_.Chance(0.15);
    const domain::CodeRule& rule = catalog_.receipt_rule();
    const Actor who = online ? Actor::System() : Officer(d.receiving_unit, "one_stop_officer");
    return lifecycle_.ActInTx(
        tx, who, online ? "payment.notify" : "payment.cash", plan.code,
        [&](const Dossier& x, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
          const CivilDate day = ToVietnamLocal(ctx.now).date;
          auto n = tx.NextNumber(rule.CounterKey(x.receiving_unit, day));
          if (!n) return std::unexpected(n.error());
          auto serial = rule.Format(x.receiving_unit, day, *n);
          if (!serial) return std::unexpected(serial.error());
          domain::PaymentInput in;
          in.channel = !online ? "counter_cash" : transfer ? "bank_transfer" : "gateway";
          in.online = online;
          in.platform = online ? "province" : "";
          in.provider = !online ? "counter-" + x.receiving_unit : transfer ? "bank-970415" : "gateway";
          in.transaction_no = *serial;
          in.amount = x.payment.amount_due;
          in.paid_at = ctx.now;
          in.receipt_serial = *serial;
          domain::Context here = ctx;
          if (here.actor_unit.empty()) here.actor_unit = x.receiving_unit;
          auto decision = domain::RecordPayment(x, in, here);
          if (!decision) return std::unexpected(decision.error());
          return std::move(decision->events);
        });
  }

  Result<void> DoReceive(store::Tx& tx, const Pending& p, Plan& plan, const Dossier& d_in) {
    Dossier d = d_in;
    if (d.payment.stage == "receipt") {
      auto paid = PayIfDue(tx, plan, std::move(d));
      if (!paid) return std::unexpected(paid.error());
      d = std::move(*paid);
    }
    std::vector<std::string> digitised;
    for (const auto& c : d.components) {
      if (c.provided && plan.channel == Channel::kPost && rng_.Chance(0.9))
        digitised.push_back(c.code);
    }
    auto r = lifecycle_.ActInTx(
        tx, Officer(d.current_unit, "one_stop_officer"), "dossier.receive", plan.code,
        [&](const Dossier& x, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
          const auto* proc = catalog_.procedures().Find(x.procedure_code);
          return domain::Receive(x, digitised, *proc, ctx);
        });
    if (!r) return std::unexpected(r.error());
    ScheduleNext(p.idx, plan, *r, p.at);
    return {};
  }

  // Decides the next action of a dossier in processing.
  void ScheduleNext(int32_t idx, Plan& plan, const Dossier& d, Timestamp now) {
    if (d.current_step < 0) return;
    const auto& step = d.steps[d.current_step];
    if ((plan.withdraw || plan.cancel) && d.current_step == plan.stop_at_step) {
      Push(After(d, now, rng_.Range(1, std::max<int64_t>(step.budget_minutes / 2, 2))), idx,
           plan.withdraw ? Action::kWithdraw : Action::kCancel);
      plan.withdraw = plan.cancel = false;
      plan.stop_at_step = -1;
      return;
    }
    if (plan.supplements_done < plan.supplement_rounds &&
        d.current_step == plan.supplement_at_step &&
        d.state != DossierState::kSupplementRequested) {
      Push(After(d, now, rng_.Range(1, std::max<int64_t>(step.budget_minutes / 2, 2))), idx,
           Action::kSupplement);
      return;
    }
    double f = 0.15 + 0.7 * rng_.Uniform();
    if (plan.late && d.current_step == plan.late_step) {
      f = 1.5 + 2.0 * rng_.Uniform();
      // Late dossiers: enough delay to pass the whole deadline.
      const int64_t remaining =
          d.due_at ? catalog_.calendar().WorkingMinutesBetween(now, *d.due_at, Sched(d)) : 0;
      const int64_t delay = std::max<int64_t>(static_cast<int64_t>(step.budget_minutes * f),
                                              remaining + rng_.Range(30, 900));
      if (plan.apology && d.due_at && !d.apology) {
        Push(After(d, now, std::max<int64_t>(remaining - 450, 1)), idx, Action::kApology);
      }
      plan.late = false;
      Push(After(d, now, delay), idx, Action::kStep);
      return;
    }
    Push(After(d, now, static_cast<int64_t>(step.budget_minutes * f)), idx, Action::kStep);
  }

  store::Store& store_;
  const Catalog& catalog_;
  FixedClock& clock_;
  const DemoOptions& options_;
  Lifecycle lifecycle_;
  Rng rng_;
  std::vector<double> cumulative_;
  std::vector<Plan> plans_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  uint64_t order_ = 0;
  Timestamp end_;
  DemoStats stats_;
};

}  // namespace

Result<DemoStats> GenerateDemo(store::Store& store, std::shared_ptr<const Catalog> catalog,
                               FixedClock& clock, const DemoOptions& options) {
  Generator g(store, std::move(catalog), clock, options);
  return g.Run();
}

}  // namespace motcua::app
