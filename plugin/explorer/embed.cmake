# Turns the Orthanc Explorer extension (plain JavaScript) into a C++ header at build time, so the
# plugin carries it and no file needs installing beside the .so. Run by CMake in script mode:
#   cmake -DINPUT=medvqa-explorer.js -DOUTPUT=explorer_js.h -P embed.cmake
file(READ "${INPUT}" MEDVQA_JS)
string(FIND "${MEDVQA_JS}" ")medvqa_js\"" MEDVQA_CLASH)
if(NOT MEDVQA_CLASH EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )medvqa_js\"")
endif()
file(WRITE "${OUTPUT}.tmp"
     "// Generated at build time from plugin/explorer/medvqa-explorer.js by embed.cmake; edit that file.\n"
     "#pragma once\n\n"
     "namespace medvqa::plugin {\n\n"
     "inline constexpr char kExplorerJavaScript[] = R\"medvqa_js(${MEDVQA_JS})medvqa_js\";\n\n"
     "}  // namespace medvqa::plugin\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
