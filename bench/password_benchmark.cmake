# Credential benchmark (issue #4): Argon2id presets, a limited login burst, TOTP verification.
# Included from bench/CMakeLists.txt; smoke-run by ctest with label "bench".
add_executable(password_benchmark password_benchmark.cpp)
target_link_libraries(password_benchmark PRIVATE motcua_secure Threads::Threads)
if(MOTCUA_TESTS)
  add_test(NAME bench.password_smoke COMMAND password_benchmark --smoke)
  set_tests_properties(bench.password_smoke PROPERTIES LABELS bench)
endif()
