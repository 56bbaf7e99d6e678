this is not YAML: [
