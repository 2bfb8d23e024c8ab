"""Fails in every way a script can: an exception, a wrong type, an unknown key; keeps going."""


def on_event(event):
    if event.data == "boom":
        raise ZeroDivisionError("division by zero")
    if event.data == "number":
        return 42
    if event.data == "typo":
        return {"txt": "oops"}
    return event.data
