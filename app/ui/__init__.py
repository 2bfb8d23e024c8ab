"""The Textual application. Imports the layers below it; nothing imports ui."""
