# ea_add_plugin(<name>
#     SOURCES <file>...                 required: the plugin's sources (<name>_plugin.cpp among them)
#     [LINK_LIBRARIES <target>...]      private dependencies of the plugin
#     [OUTPUT_DIRECTORY <dir>]          where the module is written (default: the build tree's plugin
#                                       folder, which the host searches when run from the build tree)
#     [NO_INSTALL]                      do not install it (test fixtures)
#     [LAZY_MODULE <module>               a companion library the plugin loads itself when it first
#      LAZY_SOURCES <file>...             needs it, written beside the plugin as
#      LAZY_LINK_LIBRARIES <target>...])  ea_<name>_<module>.so: heavy dependencies (OpenCV) linked
#                                       there cost nothing to the commands that never use them
#
# Builds ea_plugin_<name>.so as a MODULE library with hidden visibility, linked to ea::sdk, which
# carries the C++ standard and every ABI-relevant flag so that host and plugin always agree.
include_guard(GLOBAL)

# One module of a plugin (the plugin, or its lazily loaded companion): hidden symbols, linked to
# ea::sdk, written to `directory`, installed beside the other plugins unless `no_install`.
function(_ea_plugin_module target directory no_install)
  add_library(${target} MODULE ${ARGN})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${directory})
  if(NOT no_install AND DEFINED EA_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${EA_PLUGIN_INSTALL_DIR})
  endif()
endfunction()

function(ea_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL" "OUTPUT_DIRECTORY;LAZY_MODULE"
                        "SOURCES;LINK_LIBRARIES;LAZY_SOURCES;LAZY_LINK_LIBRARIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ea_add_plugin(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR
      "ea_add_plugin(${name}): a plugin name must match [a-z][a-z0-9_]* (the host loads only "
      "files named ea_plugin_<name>.so)")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "ea_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT arg_OUTPUT_DIRECTORY)
    if(DEFINED EA_BUILD_PLUGIN_DIR)
      set(arg_OUTPUT_DIRECTORY ${EA_BUILD_PLUGIN_DIR})
    else()
      set(arg_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/plugins)
    endif()
  endif()

  set(target ea_plugin_${name})
  _ea_plugin_module(${target} ${arg_OUTPUT_DIRECTORY} "${arg_NO_INSTALL}" ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE ea::sdk ${arg_LINK_LIBRARIES})

  if(arg_LAZY_MODULE)
    if(NOT arg_LAZY_MODULE MATCHES "^[a-z][a-z0-9_]*$" OR NOT arg_LAZY_SOURCES)
      message(FATAL_ERROR
        "ea_add_plugin(${name}): LAZY_MODULE needs a name in [a-z][a-z0-9_]* and LAZY_SOURCES")
    endif()
    # Not named ea_plugin_*, so plugin discovery passes it by.
    set(lazy ea_${name}_${arg_LAZY_MODULE})
    _ea_plugin_module(${lazy} ${arg_OUTPUT_DIRECTORY} "${arg_NO_INSTALL}" ${arg_LAZY_SOURCES})
    target_link_libraries(${lazy} PRIVATE ea::sdk ${arg_LAZY_LINK_LIBRARIES})
    add_dependencies(${target} ${lazy})
  endif()
endfunction()
