// Due-date computations per second: WorkingCalendar's precomputed working-day index against a
// naive day-by-day walk over the same calendar, run side by side on the same inputs, with the
// ratio. `--smoke` runs a tiny version (ctest); other flags go to Google Benchmark.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "domain/calendar/calendar.h"
#include "domain/calendar/deadline.h"

namespace motcua::domain {
namespace {

struct Input {
  Timestamp received;
  int days;
};

struct Fixture {
  WorkingCalendar calendar;
  WorkSchedule schedule;
  std::vector<Input> inputs;       // 1..30 working days
  std::vector<Input> long_inputs;  // 100..400 working days
};

Fixture& GetFixture() {
  static Fixture* fixture = [] {
    CalendarOverrides overrides;
    if (const char* root = std::getenv("MOTCUA_SOURCE_DIR")) {
      std::ifstream in(std::string(root) + "/data/calendar/overrides.json");
      std::stringstream ss;
      ss << in.rdbuf();
      if (auto parsed = ParseCalendarOverrides(ss.str())) overrides = std::move(*parsed);
    }
    auto cal = WorkingCalendar::Create(overrides, 2000, 2100);
    if (!cal) {
      std::fprintf(stderr, "calendar: %s\n", cal.error().ToString().c_str());
      std::exit(1);
    }
    auto* f = new Fixture{std::move(*cal), WorkSchedule::Standard(), {}};
    std::mt19937_64 rng(1);
    const int64_t first = FromVietnamLocal(CivilDate{2020, 1, 1}, 0).us;
    const int64_t span = FromVietnamLocal(CivilDate{2030, 1, 1}, 0).us - first;
    for (int i = 0; i < 4096; ++i) {
      f->inputs.push_back({Timestamp{first + static_cast<int64_t>(rng() % uint64_t(span))},
                           1 + static_cast<int>(rng() % 30)});
      f->long_inputs.push_back({Timestamp{first + static_cast<int64_t>(rng() % uint64_t(span))},
                                100 + static_cast<int>(rng() % 301)});
    }
    return f;
  }();
  return *fixture;
}

Timestamp IndexedDue(const Fixture& f, const Input& in) {
  auto due = f.calendar.ComputeDueInstant(in.received, TimeLimit{LimitUnit::kWorkingDays, in.days},
                                          f.schedule);
  return due ? *due : Timestamp{};
}

// Baseline: the same rule walked day by day (what a per-day holiday lookup loop does).
Timestamp NaiveDue(const Fixture& f, const Input& in) {
  return f.calendar.AddWorkingMinutesNaive(in.received, in.days * f.schedule.day_minutes(),
                                           f.schedule);
}

template <typename Fn>
double CallsPerSecond(const std::vector<Input>& inputs, int64_t calls, Fn fn) {
  const Fixture& f = GetFixture();
  const auto start = std::chrono::steady_clock::now();
  uint64_t sink = 0;  // unsigned: the sum wraps instead of overflowing
  for (int64_t i = 0; i < calls; ++i) {
    sink += static_cast<uint64_t>(fn(f, inputs[static_cast<size_t>(i) & 4095]).us);
  }
  benchmark::DoNotOptimize(sink);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(calls) / seconds;
}

int SideBySide(int64_t calls) {
  const Fixture& f = GetFixture();
  int mismatches = 0;
  for (const auto* inputs : {&f.inputs, &f.long_inputs}) {
    for (const Input& in : *inputs) mismatches += IndexedDue(f, in) != NaiveDue(f, in);
  }
  if (mismatches != 0) {
    std::fprintf(stderr, "indexed and naive due dates disagree on %d inputs\n", mismatches);
    return 1;
  }
  std::printf("due-date computations per second (received 2020-2029, calendar 2000-2100)\n");
  std::printf("  %-22s %16s %16s %8s\n", "limit", "indexed", "naive walk", "ratio");
  for (const auto& [label, inputs, naive_div] : {std::tuple{"1..30 working days", &f.inputs, 8},
                                                 {"100..400 working days", &f.long_inputs, 64}}) {
    const double indexed = CallsPerSecond(*inputs, calls, IndexedDue);
    const double naive = CallsPerSecond(*inputs, calls / naive_div + 1, NaiveDue);
    std::printf("  %-22s %14.0f/s %14.0f/s %7.1fx\n", label, indexed, naive, indexed / naive);
  }
  return 0;
}

void BM_IndexedDue(benchmark::State& state) {
  const Fixture& f = GetFixture();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(IndexedDue(f, f.inputs[i++ & 4095]));
}
BENCHMARK(BM_IndexedDue);

void BM_NaiveDue(benchmark::State& state) {
  const Fixture& f = GetFixture();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(NaiveDue(f, f.inputs[i++ & 4095]));
}
BENCHMARK(BM_NaiveDue);

void BM_ComputeDueWithDerivation(benchmark::State& state) {
  const Fixture& f = GetFixture();
  size_t i = 0;
  for (auto _ : state) {
    const Input& in = f.inputs[i++ & 4095];
    benchmark::DoNotOptimize(
        f.calendar.ComputeDue(in.received, {LimitUnit::kWorkingDays, in.days}, f.schedule));
  }
}
BENCHMARK(BM_ComputeDueWithDerivation);

void BM_CreateCalendar100Years(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(WorkingCalendar::Create({}, 2000, 2100));
}
BENCHMARK(BM_CreateCalendar100Years)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace motcua::domain

int main(int argc, char** argv) {
  const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
  if (smoke) return motcua::domain::SideBySide(20'000);
  if (int rc = motcua::domain::SideBySide(20'000'000); rc != 0) return rc;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
