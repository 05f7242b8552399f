"""Life-story documents: import (file dialog, drag and drop), categories, details."""
