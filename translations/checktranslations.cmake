# Fails when the committed .ts files are not what lupdate makes of the current sources, or when any
# of them holds an unfinished or empty translation. Run by CTest (test "translations_uptodate").
#
# Variables: LUPDATE (the lupdate program), PROJECT_IN (the lupdate project description that
# qt_add_translations generated), GENERATE_PROJECT (Qt's script that turns it into lupdate's JSON),
# TS_FILES (the committed .ts files), OPTIONS (lupdate options), WORK_DIR (scratch directory).
foreach(var LUPDATE PROJECT_IN GENERATE_PROJECT TS_FILES WORK_DIR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "checktranslations.cmake: ${var} is not set")
    endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

execute_process(
    COMMAND "${CMAKE_COMMAND}" "-DIN_FILE=${PROJECT_IN}" "-DOUT_FILE=${WORK_DIR}/project.json"
        -P "${GENERATE_PROJECT}"
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not generate the lupdate project from ${PROJECT_IN}")
endif()

set(copies "")
foreach(ts IN LISTS TS_FILES)
    if(NOT EXISTS "${ts}")
        message(FATAL_ERROR "${ts} does not exist; run: cmake --build <build dir> --target update_translations")
    endif()
    get_filename_component(name "${ts}" NAME)
    configure_file("${ts}" "${WORK_DIR}/${name}" COPYONLY)
    list(APPEND copies "${WORK_DIR}/${name}")
endforeach()

execute_process(
    COMMAND "${LUPDATE}" -project "${WORK_DIR}/project.json" ${OPTIONS} -ts ${copies}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${rc}):\n${out}\n${err}")
endif()

set(problems "")
foreach(ts IN LISTS TS_FILES)
    get_filename_component(name "${ts}" NAME)
    file(READ "${ts}" committed)
    file(READ "${WORK_DIR}/${name}" regenerated)
    if(NOT committed STREQUAL regenerated)
        string(APPEND problems "${name}: out of date with the sources "
            "(compare ${ts} with ${WORK_DIR}/${name})\n")
    endif()
    # Judge what lupdate produced, so entries for new strings count as unfinished too.
    file(STRINGS "${WORK_DIR}/${name}" lines)
    set(line_no 0)
    set(source "")
    foreach(line IN LISTS lines)
        math(EXPR line_no "${line_no} + 1")
        if(line MATCHES "<source>(.*)</source>")
            set(source "${CMAKE_MATCH_1}")
        endif()
        if(line MATCHES "type=\"unfinished\"" OR line MATCHES "type=\"vanished\"" OR line MATCHES "type=\"obsolete\"")
            string(APPEND problems "${name}:${line_no}: unfinished translation of \"${source}\"\n")
        elseif(line MATCHES "<translation></translation>" OR line MATCHES "<translation/>"
               OR line MATCHES "<numerusform></numerusform>" OR line MATCHES "<numerusform/>")
            string(APPEND problems "${name}:${line_no}: empty translation of \"${source}\"\n")
        endif()
    endforeach()
endforeach()

if(NOT problems STREQUAL "")
    message(FATAL_ERROR "Translations need work. Regenerate with\n"
        "  cmake --build <build dir> --target update_translations\n"
        "then translate every new entry (Qt Linguist, or edit the .ts files).\n${problems}")
endif()
list(LENGTH TS_FILES count)
message(STATUS "${count} translation files are up to date and complete")
