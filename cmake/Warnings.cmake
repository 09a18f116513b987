# Warnings as errors: ON in the presets the tests build with (CMakePresets.json), OFF for
# anyone building the package with a compiler newer than the ones CI knows.
option(TAOSYNC_WERROR "Treat compiler warnings as errors" OFF)

# One place for warning flags, applied per target (no global flags).
function(taosync_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(TAOSYNC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # In a unity build every .cpp is an included file, and GCC then flags types with linkage
    # that use the .cpp's anonymous namespace (coroutine frames, for one). Not a defect.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()
