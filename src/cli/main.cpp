// Entry point of the `motcua` command (see cli/commands.h).
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return motcua::cli::Run(args, std::cout, std::cerr);
}
