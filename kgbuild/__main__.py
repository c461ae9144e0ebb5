"""``python -m kgbuild`` runs the command line."""
from kgbuild.cli import main

if __name__ == "__main__":
    main()
