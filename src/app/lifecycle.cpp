#include "app/lifecycle.h"

#include "app/files.h"
#include "app/holdings.h"
#include "app/projection.h"
#include "base/json.h"

namespace motcua::app {

namespace bj = boost::json;
using domain::Dossier;

Lifecycle::Lifecycle(store::Store& store, std::shared_ptr<const Catalog> catalog,
                     const Clock& clock)
    : store_(store), catalog_(catalog), clock_(clock), access_(std::move(catalog), clock) {}

domain::Context Lifecycle::ContextFor(const Actor& actor, const std::string& schedule) const {
  domain::Context ctx;
  ctx.now = clock_.Now();
  ctx.actor = actor.Ref();
  ctx.actor_unit = actor.unit;
  ctx.actor_roles = actor.roles;
  ctx.calendar = &catalog_->calendar();
  ctx.schedule = &catalog_->Schedule(schedule);
  return ctx;
}

Result<void> Lifecycle::AppendAll(store::Tx& tx, std::vector<NewEvent> events, Dossier* state,
                                  int64_t* first_seq, int64_t* last_seq) {
  for (NewEvent& n : events) {
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (*first_seq == 0) *first_seq = e->seq;
    *last_seq = e->seq;
    if (auto r = Project(tx, *e, false); !r) return r;
    // Events of other streams (a result's DocumentSigned) travel with the dossier's own.
    const bool own = state && (state->code.empty() ? e->stream.starts_with("dossier/")
                                                    : e->stream == domain::DossierStream(state->code));
    if (own) {
      if (auto r = domain::Apply(*state, *e); !r) return r;
    }
  }
  return {};
}

namespace {

Error UnitError(std::string key, const std::string& unit) {
  Error e{ErrorCode::kInvalidArgument, std::move(key), unit, {}};
  e.With("unit", unit);
  return e;
}

Result<Dossier> ParseRow(const store::DossierRow& row) {
  auto doc = json::Parse(row.doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", row.code);
  return Dossier::FromJson(doc->get_object());
}

// What a citizen is told about a dossier that is not theirs: nothing (it does not exist).
Error HideFromCitizen(const Actor& actor, Error e, const std::string& code) {
  if (actor.kind == Actor::Kind::kCitizen && e.key == "auth.forbidden") {
    return Error{ErrorCode::kNotFound, "dossier.not_found", code.substr(0, 64), {}};
  }
  return e;
}

}  // namespace

Error Lifecycle::Rejected(const Actor& actor, std::string_view action, const std::string& target,
                          const std::string& unit, Error why) {
  if (Audited(actor)) {
    // The refusal itself is what the client must see; a failure to record it is logged by the
    // caller's error path only if the store is down, in which case the next write fails too.
    (void)AuditRejected(store_, actor, AuditRecord{std::string(action), target, unit},
                        clock_.Now(), why);
  }
  return why;
}

Result<Dossier> Lifecycle::SubmitInTx(store::Tx& tx, const Actor& actor, const SubmitRequest& req) {
  const Catalog& cat = *catalog_;
  const domain::Procedure* proc = cat.procedures().Find(req.procedure_code);
  if (!proc) {
    Error e{ErrorCode::kNotFound, "procedure.not_found", req.procedure_code, {}};
    e.With("procedure", req.procedure_code.substr(0, 40));
    return std::unexpected(e);
  }
  const Timestamp now = clock_.Now();
  const CivilDate today = ToVietnamLocal(now).date;
  // Receiving unit: a unit valid today that runs a one-stop section.
  const domain::Unit* receiving = cat.units().Find(req.receiving_unit);
  if (!receiving || !receiving->ValidOn(today) ||
      receiving->level == domain::UnitLevel::kProvince) {
    return Fail(UnitError("dossier.bad_receiving_unit", req.receiving_unit.substr(0, 40)));
  }
  // Competent unit, from the procedure's level on the day of submission.
  std::string competent;
  if (proc->competent_level == "commune") {
    const std::string& c = req.competent_unit.empty() ? req.receiving_unit : req.competent_unit;
    const domain::Unit* u = cat.units().Find(c);
    // Before 1 July 2025 district-level communes' procedures could also be decided by a district.
    if (!u || !u->ValidOn(today) ||
        (u->level != domain::UnitLevel::kCommune && u->level != domain::UnitLevel::kDistrict)) {
      return Fail(UnitError("dossier.bad_competent_unit", c.substr(0, 40)));
    }
    competent = u->code;
  } else if (!proc->competent_agency.empty()) {
    const domain::Unit* u = cat.units().AgencyOn(proc->competent_agency, today);
    if (!u) return Fail(UnitError("dossier.bad_competent_unit", proc->competent_agency));
    competent = u->code;
  } else {
    competent = cat.units().Root()->code;
  }
  {
    domain::Target target{{receiving->code}, actor.kind == Actor::Kind::kCitizen &&
                                                 actor.id == req.applicant.id_number};
    auto allowed = access_.Check(actor, "dossier.submit", target);
    if (!allowed) return std::unexpected(allowed.error());
  }
  // Who may file through which channel: citizens file online for themselves; counter, postal
  // and assisted dossiers are recorded by staff of the receiving unit (the channel feeds the 766
  // figures, so a citizen cannot claim one).
  if (actor.kind == Actor::Kind::kCitizen) {
    if (req.channel != domain::Channel::kOnline) {
      return Fail(ErrorCode::kPermissionDenied, "dossier.channel_not_allowed",
                  std::string(domain::ChannelName(req.channel)));
    }
    if (actor.id != req.applicant.id_number) {
      return Fail(ErrorCode::kPermissionDenied, "dossier.not_applicant");
    }
  } else if (actor.kind == Actor::Kind::kOfficer || actor.kind == Actor::Kind::kService) {
    // Staff, or an integration (a counter kiosk) acting with a staff role of the unit.
    if (actor.unit != receiving->code) {
      Error e{ErrorCode::kPermissionDenied, "dossier.not_holder", actor.unit, {}};
      e.With("unit", receiving->code);
      return std::unexpected(e);
    }
    if (req.channel == domain::Channel::kOnline) {
      return Fail(ErrorCode::kPermissionDenied, "dossier.channel_not_allowed", "online");
    }
  } else {
    return Fail(ErrorCode::kPermissionDenied, "dossier.channel_not_allowed", "system");
  }
  const std::string schedule = cat.units().Find(competent)->schedule;
  const std::string counter = cat.code_rule().CounterKey(receiving->code, today);
  auto n = tx.NextNumber(counter);
  if (!n) return std::unexpected(n.error());
  auto code = cat.code_rule().Format(receiving->code, today, *n);
  if (!code) return std::unexpected(code.error());

  domain::SubmitInput in;
  in.code = *code;
  in.procedure = proc;
  in.channel = req.channel;
  in.applicant = req.applicant;
  // The assisting team member is the officer who files: both identities are recorded.
  in.assisted_by = req.channel == domain::Channel::kAssisted && actor.kind == Actor::Kind::kOfficer
                       ? actor.id
                       : req.assisted_by;
  in.receiving_unit = receiving->code;
  in.competent_unit = competent;
  in.schedule = schedule;
  in.components = req.components;
  // A component taken from the applicant's data store becomes that document's file.
  if (auto id = domain::ValidateIdNumber(req.applicant.id_kind, req.applicant.id_number); id) {
    if (auto r = ResolveReuse(tx, *id, *proc, today, in.components); !r) {
      return std::unexpected(r.error());
    }
  }
  in.fee_conditions = req.fee_conditions;
  in.fee_quantities = req.fee_quantities;
  in.exemption = req.exemption;
  domain::Context ctx = ContextFor(actor, schedule);
  ctx.actor_unit = receiving->code;
  auto events = domain::Submit(in, ctx);
  if (!events) return std::unexpected(events.error());
  (*events)[0].payload["counter"] = counter;
  Dossier d;
  int64_t first = 0, last = 0;
  if (auto r = AppendAll(tx, std::move(*events), &d, &first, &last); !r) {
    return std::unexpected(r.error());
  }
  if (req.paid_cash && d.payment.Due()) {
    auto allowed = access_.Check(actor, "payment.cash", access_.TargetOf(actor, d));
    if (!allowed) return std::unexpected(allowed.error());
    const domain::CodeRule& rule = cat.receipt_rule();
    auto number = tx.NextNumber(rule.CounterKey(receiving->code, today));
    if (!number) return std::unexpected(number.error());
    auto serial = rule.Format(receiving->code, today, *number);
    if (!serial) return std::unexpected(serial.error());
    domain::PaymentInput cash;
    cash.channel = "counter_cash";
    cash.provider = "counter-" + receiving->code;
    cash.transaction_no = *serial;
    cash.receipt_serial = *serial;
    cash.amount = d.payment.amount_due;
    cash.paid_at = now;
    auto paid = domain::RecordPayment(d, cash, ctx);
    if (!paid) return std::unexpected(paid.error());
    if (auto r = AppendAll(tx, std::move(paid->events), &d, &first, &last); !r) {
      return std::unexpected(r.error());
    }
  }
  if (req.receive_now) {
    auto allowed = access_.Check(actor, "dossier.receive", access_.TargetOf(actor, d));
    if (!allowed) return std::unexpected(allowed.error());
    ctx.actor_unit = actor.unit;
    auto received = domain::Receive(d, req.digitised, *proc, ctx);
    if (!received) return std::unexpected(received.error());
    if (auto r = AppendAll(tx, std::move(*received), &d, &first, &last); !r) {
      return std::unexpected(r.error());
    }
  }
  if (auto r = AuditInTx(tx, actor, {"dossier.submit", "dossier/" + d.code, d.receiving_unit},
                         now, first, last);
      !r) {
    return std::unexpected(r.error());
  }
  return d;
}

Result<Dossier> Lifecycle::Submit(const Actor& actor, const SubmitRequest& req_in) {
  SubmitRequest req = req_in;
  auto rejected = [&](Error why) {
    return std::unexpected(Rejected(actor, "dossier.submit",
                                    "procedure/" + req.procedure_code.substr(0, 64),
                                    req.receiving_unit.substr(0, 64), std::move(why)));
  };
  // Files are immutable once uploaded, so they are resolved before the write.
  if (auto resolved = ResolveFiles(store_, actor, req.components); !resolved) {
    return rejected(resolved.error());
  }
  Dossier out;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto d = SubmitInTx(tx, actor, req);
    if (!d) return std::unexpected(d.error());
    out = std::move(*d);
    return {};
  });
  if (!r) return rejected(r.error());
  return out;
}

Result<Dossier> Lifecycle::ActInTx(store::Tx& tx, const Actor& actor, std::string_view action,
                                   const std::string& code, const Command& command) {
  auto row = tx.GetDossier(code);
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    Error e{ErrorCode::kNotFound, "dossier.not_found", code.substr(0, 64), {}};
    return std::unexpected(e);
  }
  auto d = ParseRow(**row);
  if (!d) return std::unexpected(d.error());
  if (auto allowed = access_.Check(actor, action, access_.TargetOf(actor, *d)); !allowed) {
    return std::unexpected(HideFromCitizen(actor, allowed.error(), code));
  }
  const domain::Context ctx = ContextFor(actor, d->schedule);
  auto events = command(*d, ctx);
  if (!events) return std::unexpected(events.error());
  // The unit concerned is the one that held the dossier when the action was taken.
  const std::string unit = d->current_unit;
  int64_t first = 0, last = 0;
  if (auto r = AppendAll(tx, std::move(*events), &*d, &first, &last); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = AuditInTx(tx, actor, {std::string(action), "dossier/" + code, unit}, ctx.now,
                         first, last);
      !r) {
    return std::unexpected(r.error());
  }
  return std::move(*d);
}

Result<Dossier> Lifecycle::Act(const Actor& actor, std::string_view action,
                               const std::string& code, const Command& command) {
  Dossier out;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto d = ActInTx(tx, actor, action, code, command);
    if (!d) return std::unexpected(d.error());
    out = std::move(*d);
    return {};
  });
  if (!r) return std::unexpected(Rejected(actor, action, "dossier/" + code.substr(0, 64), "", r.error()));
  return out;
}

Result<Dossier> Lifecycle::Receive(const Actor& actor, const std::string& code,
                                   const std::vector<std::string>& digitised) {
  return Act(actor, "dossier.receive", code,
             [&](const Dossier& d, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
               const domain::Procedure* p = catalog_->procedures().Find(d.procedure_code);
               if (!p)
                 return Fail(ErrorCode::kFailedPrecondition, "procedure.not_found",
                             d.procedure_code);
               return domain::Receive(d, digitised, *p, ctx);
             });
}

Result<Dossier> Lifecycle::Refuse(const Actor& actor, const std::string& code,
                                  const std::string& reason) {
  return Act(actor, "dossier.refuse", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::Refuse(d, reason, ctx);
  });
}

Result<Dossier> Lifecycle::CompleteStep(const Actor& actor, const std::string& code,
                                        const std::string& note) {
  // The result's signatures are made before the transaction (signing is slow; the writer thread
  // is shared), and only when the step itself would be accepted.
  std::vector<NewEvent> signing;
  int64_t signed_version = -1;
  if (result_issuer_ != nullptr) {
    auto row = store_.GetDossier(code);
    if (row && *row) {
      auto d = ParseRow(**row);
      if (d && access_.Check(actor, "dossier.complete_step", access_.TargetOf(actor, *d)) &&
          domain::CompleteStep(*d, note, ContextFor(actor, d->schedule))) {
        auto events = result_issuer_->BeforeStepCompletion(actor, *d);
        if (!events) {
          return std::unexpected(
              Rejected(actor, "dossier.complete_step", "dossier/" + code, d->current_unit, events.error()));
        }
        signing = std::move(*events);
        signed_version = d->version;
      }
    }
  }
  return Act(actor, "dossier.complete_step", code,
             [&](const Dossier& d, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
               auto events = domain::CompleteStep(d, note, ctx);
               if (!events || signing.empty()) return events;
               if (d.version != signed_version) {
                 return Fail(ErrorCode::kAborted, "dossier.changed", d.code);
               }
               for (NewEvent& n : signing) events->push_back(std::move(n));
               return events;
             });
}

Result<Dossier> Lifecycle::Transfer(const Actor& actor, const std::string& code,
                                    const std::string& to_unit, bool competent,
                                    const std::string& reason) {
  return Act(actor, "dossier.transfer", code,
             [&](const Dossier& d, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
               const domain::Unit* u = catalog_->units().Find(to_unit);
               if (!u || !u->ValidOn(ToVietnamLocal(ctx.now).date)) {
                 return Fail(UnitError("dossier.bad_target_unit", to_unit.substr(0, 40)));
               }
               return domain::Transfer(d, to_unit, competent, reason, ctx);
             });
}

Result<Dossier> Lifecycle::RequestConsultation(const Actor& actor, const std::string& code,
                                               const std::string& unit,
                                               const std::string& question) {
  return Act(actor, "dossier.consult", code,
             [&](const Dossier& d, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
               const domain::Unit* u = catalog_->units().Find(unit);
               if (!u || !u->ValidOn(ToVietnamLocal(ctx.now).date)) {
                 return Fail(UnitError("dossier.bad_target_unit", unit.substr(0, 40)));
               }
               return domain::RequestConsultation(d, unit, question, ctx);
             });
}

Result<Dossier> Lifecycle::AnswerConsultation(const Actor& actor, const std::string& code,
                                              const std::string& answer) {
  return Act(actor, "dossier.answer_consultation", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::AnswerConsultation(d, answer, ctx);
  });
}

Result<Dossier> Lifecycle::RequestSupplement(const Actor& actor, const std::string& code,
                                             const std::string& reason,
                                             const std::vector<std::string>& items) {
  return Act(actor, "dossier.request_supplement", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::RequestSupplement(d, reason, items, ctx);
  });
}

Result<Dossier> Lifecycle::ProvideSupplement(const Actor& actor, const std::string& code,
                                             const std::vector<domain::ComponentRecord>& comps) {
  std::vector<domain::ComponentRecord> resolved = comps;
  if (auto r = ResolveFiles(store_, actor, resolved); !r) {
    return std::unexpected(Rejected(actor, "dossier.provide_supplement",
                                    "dossier/" + code.substr(0, 64), "", r.error()));
  }
  if (std::any_of(resolved.begin(), resolved.end(),
                  [](const domain::ComponentRecord& c) { return !c.reused_from.empty(); })) {
    // The holder and the procedure come from the dossier; Act checks the permission after.
    auto row = store_.GetDossier(code);
    if (!row) return std::unexpected(row.error());
    if (*row) {
      auto d = ParseRow(**row);
      if (!d) return std::unexpected(d.error());
      const domain::Procedure* proc = catalog_->procedures().Find(d->procedure_code);
      if (proc == nullptr) return Fail(ErrorCode::kNotFound, "procedure.not_found", d->procedure_code);
      const CivilDate today = ToVietnamLocal(clock_.Now()).date;
      if (auto r = ResolveReuse(store_, d->applicant.id_number, *proc, today, resolved); !r) {
        return std::unexpected(Rejected(actor, "dossier.provide_supplement",
                                        "dossier/" + code.substr(0, 64), "", r.error()));
      }
    }
  }
  return Act(actor, "dossier.provide_supplement", code,
             [&](const Dossier& d, const domain::Context& ctx) {
               return domain::ProvideSupplement(d, resolved, ctx);
             });
}

Result<Dossier> Lifecycle::IssueApology(const Actor& actor, const std::string& code,
                                        Timestamp new_due, const std::string& reason) {
  return Act(actor, "dossier.apology", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::IssueApology(d, new_due, reason, ctx);
  });
}

Result<Dossier> Lifecycle::Return(const Actor& actor, const std::string& code,
                                  const std::string& return_channel) {
  return Act(actor, "dossier.return", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::Return(d, return_channel, ctx);
  });
}

Result<Dossier> Lifecycle::Withdraw(const Actor& actor, const std::string& code,
                                    const std::string& reason) {
  return Act(actor, "dossier.withdraw", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::Withdraw(d, reason, ctx);
  });
}

Result<Dossier> Lifecycle::Rate(const Actor& actor, const std::string& code,
                                domain::Rating rating, const std::string& comment) {
  return Act(actor, "dossier.rate", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::Rate(d, rating, comment, ctx);
  });
}

Result<Dossier> Lifecycle::Cancel(const Actor& actor, const std::string& code,
                                  const std::string& reason) {
  return Act(actor, "dossier.cancel", code, [&](const Dossier& d, const domain::Context& ctx) {
    return domain::Cancel(d, reason, ctx);
  });
}

domain::OverdueInfo Lifecycle::OverdueOf(const Dossier& d) const {
  return domain::Overdue(d, clock_.Now(), catalog_->calendar(), catalog_->Schedule(d.schedule));
}

Result<Dossier> Lifecycle::Load(const Actor& actor, std::string_view action,
                                const std::string& code) {
  auto row = store_.GetDossier(code);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(ErrorCode::kNotFound, "dossier.not_found", code.substr(0, 64));
  auto d = ParseRow(**row);
  if (!d) return std::unexpected(d.error());
  if (auto allowed = access_.Check(actor, action, access_.TargetOf(actor, *d)); !allowed) {
    // Attempts to read someone else's personal data are recorded too.
    return std::unexpected(HideFromCitizen(
        actor,
        Rejected(actor, action, "dossier/" + code.substr(0, 64), d->current_unit,
                 allowed.error()),
        code));
  }
  return d;
}

Result<DossierView> Lifecycle::Get(const Actor& actor, const std::string& code) {
  auto d = Load(actor, "dossier.read", code);
  if (!d) return std::unexpected(d.error());
  DossierView v{std::move(*d), {}};
  v.overdue = OverdueOf(v.dossier);
  return v;
}

Result<std::vector<Event>> Lifecycle::History(const Actor& actor, const std::string& code) {
  if (auto d = Load(actor, "dossier.read", code); !d) return std::unexpected(d.error());
  return store_.ReadStream(domain::DossierStream(code));
}

Result<Lifecycle::Page> Lifecycle::List(const Actor& actor, store::DossierQuery q,
                                        bool with_total) {
  if (auto scoped = access_.ScopeSearch(actor, q); !scoped) {
    return std::unexpected(
        Rejected(actor, "dossier.search", "dossiers", q.unit.value_or(""), scoped.error()));
  }
  Page page;
  auto rows = store_.ListDossiers(q);
  if (!rows) return std::unexpected(rows.error());
  page.rows = std::move(*rows);
  if (with_total) {
    auto n = store_.CountDossiers(q);
    if (!n) return std::unexpected(n.error());
    page.total = *n;
  }
  return page;
}

Result<int64_t> ImportCatalog(store::Store& store, const Catalog& catalog, Timestamp now) {
  int64_t appended = 0;
  auto r = store.Write([&](store::Tx& tx) -> Result<void> {
    const std::string root = catalog.units().Root()->code;
    auto put = [&](std::string stream, std::string type, std::string kind, const std::string& key,
                   const char* field, bj::object doc) -> Result<void> {
      const std::string text = bj::serialize(doc);
      auto existing = tx.GetCatalog(kind, key);
      if (!existing) return std::unexpected(existing.error());
      if (*existing && (*existing)->doc == text) return {};
      NewEvent e;
      e.stream = std::move(stream);
      e.type = std::move(type);
      e.unit = root;
      e.actor = "system";
      e.at = now;
      e.payload[field] = std::move(doc);
      auto appended_event = tx.Append(std::move(e));
      if (!appended_event) return std::unexpected(appended_event.error());
      ++appended;
      return Project(tx, *appended_event, false);
    };
    for (const auto& u : catalog.units().units()) {
      if (auto p = put("unit/" + u.code, "UnitRegistered", "unit", u.code, "unit", u.ToJson());
          !p) {
        return p;
      }
    }
    for (const auto& p : catalog.procedures().procedures()) {
      if (auto x = put("procedure/" + p.code, "ProcedurePublished", "procedure", p.code,
                       "procedure", p.source);
          !x) {
        return x;
      }
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return appended;
}

}  // namespace motcua::app
