# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE). The archive is relocatable: it
# holds the monitor and server components in one tree and leaves out /etc/default/agentops-server
# (component serverconfig) and the Python SDK (component sdk), which only the .debs install. An
# absolute destination in the archive is an error rather than a file written outside the package.
if(CPACK_GENERATOR STREQUAL "TGZ")
    # The Python SDK is pip's business outside Debian (its wheel).
    list(REMOVE_ITEM CPACK_COMPONENTS_ALL serverconfig sdk)
    set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
    set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
    set(CPACK_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION ON)
    set(CPACK_COMPONENT_INCLUDE_TOPLEVEL_DIRECTORY ON)
endif()
if(CPACK_GENERATOR STREQUAL "DEB")
    # Each package's description starts with its own synopsis line (CPACK_DEBIAN_<NAME>_DESCRIPTION);
    # CPackDeb would put the project's summary in front of it unless the summary is its default.
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()
