# Writes the man page mcasim.1 (OUT) with help2man from `mcasim --help`,
# adding a section per subcommand from `mcasim help COMMAND` (verbatim,
# escaped for roff). Run at build time by sim/cli/CMakeLists.txt.
# Variables: MCASIM (the binary), HELP2MAN, OUT, WORK (a scratch folder).
set(include "[NAME]\nmcasim \\- simulate the x86 machine-check (MCA) and vMCE stack of a Xen-style hypervisor\n")
foreach(cmd run validate import decode campaign report)
  execute_process(COMMAND "${MCASIM}" help ${cmd} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mcasim help ${cmd} failed")
  endif()
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(TOUPPER "${cmd}" title)
  string(APPEND include "[COMMAND: ${title}]\n.nf\n${text}.fi\n")
endforeach()
string(APPEND include "[SEE ALSO]\nThe scenario format: docs/SCENARIOS.md in the source, with the files mcasim imports (section Importing).\n")
file(WRITE "${WORK}/mcasim.h2m" "${include}")
execute_process(COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section=1 --include "${WORK}/mcasim.h2m"
                        --output "${OUT}" "${MCASIM}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed")
endif()
