# How the project's own targets are declared: agentops_add_library() for every library,
# agentops_add_test() (tests/CMakeLists.txt) for every test suite. Both give their targets the same
# warnings and the same Qt strictness, spelled once here.

# Warning flags every target of the project uses (generated code gets none, see GENERATED below).
add_library(agentops_warnings INTERFACE)
target_compile_options(agentops_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-qual -Wformat=2
    $<$<BOOL:${AGENTOPS_WERROR}>:-Werror>)

# Qt used strictly: no keywords (signals/slots/emit clash with other libraries), no foreach, no
# implicit conversions between QString and char*, QStringBuilder for concatenations. Public wherever
# it is linked, so a header compiles the same way in the library and in its users.
add_library(agentops_qt_strict INTERFACE)
target_compile_definitions(agentops_qt_strict INTERFACE
    QT_NO_KEYWORDS QT_NO_FOREACH QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER)

# agentops_add_library(<name> [QT] [GENERATED] SOURCES ... [PUBLIC ...] [PRIVATE ...]
#                      [INCLUDE_ROOT dir])
# A static library. Its users include its headers by layer and folder, "store/tracestore.h",
# "waterfall/waterfallview.h": the include root is the folder above the library's own (app/, ui/),
# or INCLUDE_ROOT. QT: the library uses Qt (moc, and the strict Qt defines above). GENERATED: code
# that protoc or another tool wrote, compiled without the project's warnings.
function(agentops_add_library name)
    cmake_parse_arguments(L "QT;GENERATED" "INCLUDE_ROOT" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    if(L_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "agentops_add_library(${name}): unknown arguments ${L_UNPARSED_ARGUMENTS}")
    endif()
    add_library(${name} STATIC ${L_SOURCES})
    if(NOT L_INCLUDE_ROOT)
        get_filename_component(L_INCLUDE_ROOT ${CMAKE_CURRENT_SOURCE_DIR} DIRECTORY)
    endif()
    target_include_directories(${name} PUBLIC ${L_INCLUDE_ROOT})
    target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
    if(NOT L_GENERATED)
        target_link_libraries(${name} PRIVATE agentops_warnings)
    endif()
    if(L_QT)
        set_target_properties(${name} PROPERTIES AUTOMOC ON)
        target_link_libraries(${name} PUBLIC agentops_qt_strict)
    endif()
endfunction()

set(AGENTOPS_TEST_TIMEOUT_FACTOR "" CACHE STRING
    "Multiplies every test suite's time limit (the sanitizer presets set it: their builds run slower)")

# agentops_test_timeout(<var> <seconds>) sets <var> to a test's time limit: <seconds>, times
# AGENTOPS_TEST_TIMEOUT_FACTOR when set. Every test with a TIMEOUT of its own takes it from here, the
# suites that run agentops-server as a process (interop, the Python SDK) included.
function(agentops_test_timeout var seconds)
    if(AGENTOPS_TEST_TIMEOUT_FACTOR)
        math(EXPR seconds "${seconds} * ${AGENTOPS_TEST_TIMEOUT_FACTOR}")
    endif()
    set(${var} ${seconds} PARENT_SCOPE)
endfunction()

# agentops_add_test(<unit> SOURCES ... LIBS ... [WRAPPER script]) builds tests/auto/<unit>/tst_<unit>
# and registers it with CTest, run through WRAPPER when given (e.g. support/with-keyring.sh). Tests
# link the layer they test and nothing more.
function(agentops_add_test unit)
    cmake_parse_arguments(T "" "TIMEOUT;WRAPPER" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(tst_${unit} ${T_SOURCES})
    set_target_properties(tst_${unit} PROPERTIES AUTOMOC ON)
    target_link_libraries(tst_${unit} PRIVATE Qt6::Test ${T_LIBS} agentops_qt_strict agentops_warnings)
    # tests/support/*.h, the helpers tests share, as "support/<file>.h".
    target_include_directories(tst_${unit} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(tst_${unit} PRIVATE
        AGENTOPS_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures"
        AGENTOPS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        AGENTOPS_BINARY_DIR="${PROJECT_BINARY_DIR}")
    if(T_WRAPPER)
        add_test(NAME ${unit} COMMAND ${T_WRAPPER} $<TARGET_FILE:tst_${unit}>)
    else()
        add_test(NAME ${unit} COMMAND tst_${unit})
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    # Sanitizer builds run several times slower: their presets scale every suite's time limit.
    agentops_test_timeout(T_TIMEOUT ${T_TIMEOUT})
    set_tests_properties(${unit} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        TIMEOUT ${T_TIMEOUT}
        LABELS "${T_LABELS}")
endfunction()
