# Tests of operating memory mode (docs/in_memory_database.md), included from
# CMakeLists.txt: in-process handler tests on both backends, end-to-end tests of
# the real binary, and the load and fault proofs (labels unit + load / fault;
# each bounded, see the files).

# Running the real binary: a viewer on a free port, SQLite checks done with
# the sqlite3 library itself, a large store file to dump.
add_library(http_live_testing STATIC live_viewer.cc fault_util.cc process.cc)
target_link_libraries(http_live_testing
  PUBLIC http_testing app_store_files busy_session SQLite::SQLite3)
target_compile_definitions(http_live_testing PRIVATE
  VIEWER_BINARY="$<TARGET_FILE:viewer>"
  VIEWER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(http_live_testing viewer)

add_executable(http_ops_test keep_handler_test.cc ops_handler_test.cc)
target_link_libraries(http_ops_test PRIVATE http_testing)
gtest_discover_tests(http_ops_test TEST_PREFIX "unit.http."
                     PROPERTIES LABELS unit ${VIEWER_PG_TEST_PROPERTIES})

add_executable(ops_e2e_test ops_e2e_test.cc)
target_link_libraries(ops_e2e_test PRIVATE http_live_testing)
gtest_discover_tests(ops_e2e_test TEST_PREFIX "unit.http."
                     PROPERTIES "LABELS;unit;LABELS;e2e" TIMEOUT 120)

add_executable(load_test load_test.cc)
target_link_libraries(load_test PRIVATE http_live_testing)
gtest_discover_tests(load_test TEST_PREFIX "unit.http."
                     PROPERTIES "LABELS;unit;LABELS;load" TIMEOUT 600)

add_executable(fault_test fault_test.cc dump_fault_test.cc)
target_link_libraries(fault_test PRIVATE http_live_testing)
gtest_discover_tests(fault_test TEST_PREFIX "unit.http."
                     PROPERTIES "LABELS;unit;LABELS;fault" TIMEOUT 600)

# The real binary on PostgreSQL (the test run's cluster; one test starts a
# cluster of its own to stop and restart it), and two viewer processes on
# one database.
add_executable(postgres_e2e_test postgres_e2e_test.cc)
target_link_libraries(postgres_e2e_test PRIVATE http_live_testing pg_cluster)
target_compile_definitions(postgres_e2e_test PRIVATE
  VIEWER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(postgres_e2e_test TEST_PREFIX "unit.http."
                     PROPERTIES "LABELS;unit;LABELS;e2e;LABELS;postgres"
                     TIMEOUT 300 ${VIEWER_PG_TEST_PROPERTIES})

add_executable(multi_process_test multi_process_test.cc)
target_link_libraries(multi_process_test PRIVATE http_live_testing pg_cluster)
gtest_discover_tests(multi_process_test TEST_PREFIX "unit.http."
                     PROPERTIES "LABELS;unit;LABELS;e2e;LABELS;postgres"
                     TIMEOUT 300 ${VIEWER_PG_TEST_PROPERTIES})
