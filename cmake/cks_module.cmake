# cks_module(NAME SOURCES file… [PUBLIC lib…] [PRIVATE lib…]): the library of one module, as
# every module's list declares it: cks_NAME with the alias cks::NAME, the source tree's root as
# its include path (headers are named "module/file.h") and the project's warnings.
function(cks_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(cks_${name} ${ARG_SOURCES})
  add_library(cks::${name} ALIAS cks_${name})
  target_include_directories(cks_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(cks_${name} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE} cks_warnings)
endfunction()

# cks_catalogue(NAME SOURCE): a program's table of the message catalogue (core/messages.h), a
# library of its own so that the tests can link every table without the program.
function(cks_catalogue name source)
  add_library(cks_${name}_catalogue STATIC ${source})
  target_include_directories(cks_${name}_catalogue PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(cks_${name}_catalogue PUBLIC cks::core PRIVATE cks_warnings)
endfunction()
