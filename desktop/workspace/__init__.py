"""The young person's workspace: header, Overview and the tabs of the other panels."""
