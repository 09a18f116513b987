# One place for warning flags, applied per target (no global flags).
function(taosync_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # In a unity build every .cpp is an included file, and GCC then flags types with linkage
    # that use the .cpp's anonymous namespace (coroutine frames, for one). Not a defect.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()
