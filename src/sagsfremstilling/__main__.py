from sagsfremstilling.cli import main

raise SystemExit(main())
