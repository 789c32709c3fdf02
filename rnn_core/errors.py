"""The engine's words for a user: each message is a code and the values it needs, its English in one table.

rnn_core speaks English only. An error (or a warning, or a phrase a page shows) carries a stable `code`, a
key of MESSAGES, and `fields`, the values its template needs (the base, Message, is rnn_core/messages.py's);
str() fills the English template in, so the command line and the logs read it as a sentence. The app
translates by code instead (ui/engine_words.py holds the same codes), so rewording a message here never
leaves a page showing English.

A field may itself be an EngineMessage (a checkpoint's reason for being unreadable, a phrase inside a
phrase): it is filled in, or translated, in turn.
"""
from __future__ import annotations

from rnn_core.messages import Message

MESSAGES: dict[str, str] = {
    # rnn_core.checkpoints and rnn_core.evaluation
    "checkpoint.missing": "Checkpoint {name} does not exist.",
    "checkpoint.unreadable": "{name} is not a readable checkpoint (truncated or corrupt, or it holds more than "
                             "numbers).",
    "checkpoint.foreign": "{name} is not an RNN Playground checkpoint.",
    "checkpoint.unknown_kind": "{name} holds an unknown model kind {kind}.",
    "checkpoint.wrong_kind": "{name} holds a {kind} model, not a {expected}.",
    "checkpoint.misfit": "{name} does not fit a {kind} model: its settings or the sizes of its weights are not "
                         "the ones such a model has.",
    "checkpoint.bad_metadata": "{name} is not a readable checkpoint. {reason}",
    "checkpoint.uploaded_file": "the uploaded file",
    "checkpoint.no_test_set": "No test set for a {kind} checkpoint.",
    # rnn_core.checkpoint_meta: the reason inside checkpoint.bad_metadata
    "metadata.malformed_part": "Its metadata ({part}) is not in the form this app writes.",
    "metadata.malformed": "Its metadata is not in the form this app writes.",
    "metadata.unknown_fields": "Its metadata holds fields this app does not write.",
    "metadata.languages": "Its metadata does not name the languages it tells apart in plain words.",
    "metadata.vocab": "Its metadata does not list the characters it reads.",
    # rnn_core.settings: a variable that cannot be used (the reader gives its default instead)
    "settings.positive_number": "{variable} must be a positive number, not {text}.",
    "settings.whole_number": "{variable} must be a whole number of at least {minimum}, not {text}.",
    # rnn_core.device, and what the app does instead when a setting cannot be used
    "device.unknown": "Unknown device {choice}: use one of {choices}.",
    "device.no_cuda": "CUDA was requested but no CUDA GPU is available.",
    "device.no_mps": "Apple MPS was requested but is not available on this machine.",
    "device.threads": "The number of threads must be at least 1, not {count}.",
    "device.fallback": "{error} Using {device}.",
    "device.threads_fallback": "{error} Using {threads}.",
    # rnn_core.digits.data, rnn_core.names.data
    "data.mnist_missing": "MNIST is not in {folder}, or a file there is incomplete or corrupt, and it could not "
                          "be downloaded ({reason}). Put the four IDX files (train-images-idx3-ubyte, ...) there, "
                          "or set RNN_DATA_DIR.",
    "data.names_missing": "No names files in {folder}. Put the 18 <Language>.txt files of the PyTorch names "
                          "tutorial there (one surname per line), or set RNN_DATA_DIR to a folder that has names/.",
    "data.names_not_utf8": "{path} is not UTF-8 text: the names files hold one surname per line, in UTF-8.",
    # rnn_core.digits.preprocess and rnn_core.digits.gates
    "drawing.too_large": "The image is far too large to be a drawing.",
    "drawing.undecodable": "The image cannot be decoded: it is not a picture, or only part of one.",
    "drawing.oversized": "The image is {width}x{height} pixels; a drawing is at most {limit} pixels on a side.",
    "drawing.shape": "Expected an (H, W) or (H, W, 3|4) image, got shape {shape}.",
    "drawing.too_small": "The image is too small ({height}x{width}).",
    "drawing.values": "A non-uint8 image must hold finite values in [0, 1].",
    "drawing.pixel_type": "Unsupported pixel type {dtype}.",
    "gates.plain_rnn": "A plain RNN has no gates: at every row it overwrites its whole memory, "
                       "h_t = tanh(W_ih x_t + W_hh h_(t-1) + b), with nothing deciding what to keep.",
    # rnn_core.names.inference and rnn_core.names.naive_bayes
    "names.empty": "Type a surname, e.g. Nakamura or O'Brien.",
    "names.too_long": "That is {count} characters; a surname has at most {limit}.",
    "names.no_letters": "There are no letters in this; a surname is written in letters, e.g. Nakamura or O'Brien.",
    "names.unknown_characters": "None of these characters appear in the training names, which are written in "
                                "Latin letters (with accents); try a romanised spelling.",
    "names.too_many": "That is {count} names; at most {limit} can be classified at once. Split the list and "
                      "classify it in parts.",
    "names.file_not_utf8": "This file is not UTF-8 text. Save it as UTF-8 (plain text or CSV) and upload it again.",
    "names.file_binary": "This is a binary file, not text: upload a .txt or .csv with one name a line.",
    "names.csv_unreadable": "This CSV file cannot be read: {reason}.",
    "names.naive_bayes_counts": "{found} non-zero counts, but the model was made for {expected}",
    # rnn_core.generator.sampling
    "generator.temperature_number": "The temperature must be a number, e.g. 0.5.",
    "generator.temperature_range": "The temperature must be between 0 and {limit}: 0 always takes the likeliest "
                                   "letter, 1 draws as the model learnt, higher flattens the choice.",
    "generator.prefix_too_long": "Give at most {limit} first letters; the generator writes the rest.",
    "generator.prefix_unknown": "Some of these characters never appear in the training names, so the generator "
                                "cannot continue from them. Use Latin letters (accents are fine).",
    "generator.language": "Pick one of the languages in the list.",
    # rnn_core.translator.data: what the translator reads
    "translator.empty": "Type a number in English words, e.g. forty-two thousand, three hundred.",
    "translator.too_long": "That is {count} characters; a number up to 999,999,999 in words takes at most {limit}.",
    "translator.digits": "Write the number in words, e.g. forty-two for 42: the translator reads English words "
                         "and writes the Chinese numeral.",
    "translator.too_large": "The translator reads numbers from zero up to nine hundred and ninety-nine million, "
                            "nine hundred and ninety-nine thousand, nine hundred and ninety-nine (999,999,999).",
    "translator.unknown_word": "The translator reads only number words: zero to nineteen, twenty to ninety, "
                               "hundred, thousand, million and \"and\".",
    "translator.not_a_number": "These words do not spell one number the way English writes it, e.g. one hundred "
                               "and five, or forty-two thousand, three hundred.",
    # rnn_core.layers, rnn_core.memory, rnn_core.waves: settings a model or a trainer cannot use
    "cell.unknown": "Unknown cell {cell}: use one of {choices}.",
    "training.clip": "The clipping threshold must be a positive number (or None for no clipping).",
    "memory.distance": "The distance must be between {low} and {high} steps.",
    "memory.sizes": "Hidden size, batch size and learning rate must be positive.",
    "memory.recurrent_scale": "The recurrent weight scale must be positive.",
    "waves.unknown_task": "Unknown wave task {task}: use one of {choices}.",
    "waves.window": "A window needs at least 2 points and a positive length; hidden size and learning rate must "
                    "be positive.",
    "waves.feedback": "feedback is a fraction of the window in [0, 1).",
    "waves.free_running": "Free-running generation needs the next-step task and at least one step.",
    # rnn_core.inside.cells: what it cannot unroll
    "inside.proj_size": "LSTMs with proj_size are not unrolled here.",
    "inside.no_bias": "Modules built with bias=False are not unrolled here.",
    "inside.input_shape": "Expected a batch of sequences (3 dimensions), got shape {shape}.",
    "inside.parameter_name": "Not a recurrent layer's parameter name: {name}",
    # rnn_core.inside.cells: why each tensor has its shape
    "inside.input_batch_first": "batch_first=True: (batch, time, features)",
    "inside.input_time_first": "PyTorch's default is time first, (time, batch, features): the loop runs over dim 0",
    "inside.h0": "one starting memory per layer ({layers}) and direction ({directions}), per sequence; "
                 "batch_first never applies to the state",
    "inside.c0": "the LSTM's second memory, the cell state: shaped like h0",
    "inside.output_bidirectional": "the top layer's h_t at every step, both directions side by side "
                                   "({directions} x {hidden})",
    "inside.output": "the top layer's h_t at every step",
    "inside.h_n": "the last h_t of every layer and direction, (layers x directions, batch, hidden): the state to "
                  "carry into the next call",
    "inside.c_n": "the last cell state of every layer and direction",
    "inside.weight_ih": "({rows}, input), not (input, hidden): PyTorch computes x @ W.T, as nn.Linear does",
    "inside.weight_hh": "({rows}, hidden): the same for h_(t-1), one block of rows per gate",
    "inside.gates_by_hidden": "{count} gates x hidden",
    "inside.hidden_rows": "hidden",
    # rnn_core.inside.cells: what each parameter does, and what its rows and columns are
    "inside.backward": "backward: {does}",
    "inside.gru_hh_bias": "{does} (for n: inside r * ...)",
    "inside.multiplies": "multiplies {what}",
    "inside.added_to": "added to {product}",
    "inside.w_ih_times": "W_ih times {what}",
    "inside.the_input": "the input x_t",
    "inside.the_last_state": "the last state h_(t-1)",
    "inside.layer_output": "layer {layer}'s output h_t",
    "inside.weight_layout": "rows: {rows}, columns: {columns}",
    "inside.bias_layout": "one per row: {rows}",
    "inside.gate_rows": "{count} gates ({names}) x hidden {hidden}",
    "inside.both_directions": "2 directions x hidden {hidden}",
    "inside.hidden": "hidden {hidden}",
    "inside.input": "input {size}",
}


class EngineMessage(Message):
    """A message from MESSAGES: its code and the values its template needs. str() is the English."""

    templates = MESSAGES

    def detached(self) -> EngineMessage:
        """The same words as a plain EngineMessage, nested ones too: an error handled and kept (in a cache, in
        session state) would otherwise keep its traceback, and every frame and value on it, alive."""
        return EngineMessage(self.code, **{name: value.detached() if isinstance(value, EngineMessage) else value
                                           for name, value in self.fields.items()})


class EngineError(EngineMessage, Exception):
    """An error whose message is a code and fields: raise SomeError("checkpoint.missing", name=path)."""

    def __init__(self, code: str, **fields: object) -> None:
        EngineMessage.__init__(self, code, **fields)
        Exception.__init__(self, code)  # args hold the code: the error pickles, its fields travel in __dict__


class EngineValueError(EngineError, ValueError):
    """A value the engine cannot work with: an unknown cell or task, a setting out of range, a tensor of the
    wrong shape."""
