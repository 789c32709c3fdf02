"""The engine's words in the visitor's language, looked up by code.

rnn_core speaks English only and never imports streamlit: what it says to a user is an EngineMessage (an
error, a warning, a phrase), a code from rnn_core.errors.MESSAGES and the values its template needs. This
table holds the same codes, each template marked for the catalog, so engine_words() can show any of them
translated (ui/message_words.py does the looking up, for ui/class_words.py too). tests/test_engine_errors.py
fails when a code has no entry here or no translation.
"""
from __future__ import annotations

from rnn_core.errors import EngineMessage
from ui.i18n import N_
from ui.message_words import translated

ENGINE_WORDS: dict[str, str] = {
    # rnn_core.checkpoints and rnn_core.evaluation
    "checkpoint.missing": N_("Checkpoint {name} does not exist."),
    "checkpoint.unreadable": N_("{name} is not a readable checkpoint (truncated or corrupt, or it holds more than "
                                "numbers)."),
    "checkpoint.foreign": N_("{name} is not an RNN Playground checkpoint."),
    "checkpoint.unknown_kind": N_("{name} holds an unknown model kind {kind}."),
    "checkpoint.wrong_kind": N_("{name} holds a {kind} model, not a {expected}."),
    "checkpoint.misfit": N_("{name} does not fit a {kind} model: its settings or the sizes of its weights are not "
                            "the ones such a model has."),
    "checkpoint.bad_metadata": N_("{name} is not a readable checkpoint. {reason}"),
    "checkpoint.uploaded_file": N_("the uploaded file"),
    "checkpoint.no_test_set": N_("No test set for a {kind} checkpoint."),
    # rnn_core.checkpoint_meta: the reason inside checkpoint.bad_metadata
    "metadata.malformed_part": N_("Its metadata ({part}) is not in the form this app writes."),
    "metadata.malformed": N_("Its metadata is not in the form this app writes."),
    "metadata.unknown_fields": N_("Its metadata holds fields this app does not write."),
    "metadata.languages": N_("Its metadata does not name the languages it tells apart in plain words."),
    "metadata.vocab": N_("Its metadata does not list the characters it reads."),
    # rnn_core.settings: a variable that cannot be used (the reader gives its default instead)
    "settings.positive_number": N_("{variable} must be a positive number, not {text}."),
    "settings.whole_number": N_("{variable} must be a whole number of at least {minimum}, not {text}."),
    # rnn_core.device, and what the app does instead when a setting cannot be used
    "device.unknown": N_("Unknown device {choice}: use one of {choices}."),
    "device.no_cuda": N_("CUDA was requested but no CUDA GPU is available."),
    "device.no_mps": N_("Apple MPS was requested but is not available on this machine."),
    "device.threads": N_("The number of threads must be at least 1, not {count}."),
    "device.fallback": N_("{error} Using {device}."),
    "device.threads_fallback": N_("{error} Using {threads}."),
    # rnn_core.digits.data, rnn_core.names.data
    "data.mnist_missing": N_("MNIST is not in {folder}, or a file there is incomplete or corrupt, and it could not "
                             "be downloaded ({reason}). Put the four IDX files (train-images-idx3-ubyte, ...) there, "
                             "or set RNN_DATA_DIR."),
    "data.names_missing": N_("No names files in {folder}. Put the 18 <Language>.txt files of the PyTorch names "
                             "tutorial there (one surname per line), or set RNN_DATA_DIR to a folder that has names/."),
    "data.names_not_utf8": N_("{path} is not UTF-8 text: the names files hold one surname per line, in UTF-8."),
    # rnn_core.digits.preprocess and rnn_core.digits.gates
    "drawing.too_large": N_("The image is far too large to be a drawing."),
    "drawing.undecodable": N_("The image cannot be decoded: it is not a picture, or only part of one."),
    "drawing.oversized": N_("The image is {width}x{height} pixels; a drawing is at most {limit} pixels on a side."),
    "drawing.shape": N_("Expected an (H, W) or (H, W, 3|4) image, got shape {shape}."),
    "drawing.too_small": N_("The image is too small ({height}x{width})."),
    "drawing.values": N_("A non-uint8 image must hold finite values in [0, 1]."),
    "drawing.pixel_type": N_("Unsupported pixel type {dtype}."),
    "gates.plain_rnn": N_("A plain RNN has no gates: at every row it overwrites its whole memory, "
                          "h_t = tanh(W_ih x_t + W_hh h_(t-1) + b), with nothing deciding what to keep."),
    # rnn_core.names.inference and rnn_core.names.naive_bayes
    "names.empty": N_("Type a surname, e.g. Nakamura or O'Brien."),
    "names.too_long": N_("That is {count} characters; a surname has at most {limit}."),
    "names.no_letters": N_("There are no letters in this; a surname is written in letters, e.g. Nakamura or O'Brien."),
    "names.unknown_characters": N_("None of these characters appear in the training names, which are written in "
                                   "Latin letters (with accents); try a romanised spelling."),
    "names.too_many": N_("That is {count} names; at most {limit} can be classified at once. Split the list and "
                         "classify it in parts."),
    "names.file_not_utf8": N_("This file is not UTF-8 text. Save it as UTF-8 (plain text or CSV) and upload it again."),
    "names.file_binary": N_("This is a binary file, not text: upload a .txt or .csv with one name a line."),
    "names.csv_unreadable": N_("This CSV file cannot be read: {reason}."),
    "names.naive_bayes_counts": N_("{found} non-zero counts, but the model was made for {expected}"),
    # rnn_core.generator.sampling
    "generator.temperature_number": N_("The temperature must be a number, e.g. 0.5."),
    "generator.temperature_range": N_("The temperature must be between 0 and {limit}: 0 always takes the likeliest "
                                      "letter, 1 draws as the model learnt, higher flattens the choice."),
    "generator.prefix_too_long": N_("Give at most {limit} first letters; the generator writes the rest."),
    "generator.prefix_unknown": N_("Some of these characters never appear in the training names, so the generator "
                                   "cannot continue from them. Use Latin letters (accents are fine)."),
    "generator.language": N_("Pick one of the languages in the list."),
    # rnn_core.translator.data: what the translator reads
    "translator.empty": N_("Type a number in English words, e.g. forty-two thousand, three hundred."),
    "translator.too_long": N_("That is {count} characters; a number up to 999,999,999 in words takes at most "
                              "{limit}."),
    "translator.digits": N_("Write the number in words, e.g. forty-two for 42: the translator reads English words "
                            "and writes the Chinese numeral."),
    "translator.too_large": N_("The translator reads numbers from zero up to nine hundred and ninety-nine million, "
                               "nine hundred and ninety-nine thousand, nine hundred and ninety-nine (999,999,999)."),
    "translator.unknown_word": N_("The translator reads only number words: zero to nineteen, twenty to ninety, "
                                  "hundred, thousand, million and \"and\"."),
    "translator.not_a_number": N_("These words do not spell one number the way English writes it, e.g. one "
                                  "hundred and five, or forty-two thousand, three hundred."),
    # rnn_core.layers, rnn_core.memory, rnn_core.waves: settings a model or a trainer cannot use
    "cell.unknown": N_("Unknown cell {cell}: use one of {choices}."),
    "training.clip": N_("The clipping threshold must be a positive number (or None for no clipping)."),
    "memory.distance": N_("The distance must be between {low} and {high} steps."),
    "memory.sizes": N_("Hidden size, batch size and learning rate must be positive."),
    "memory.recurrent_scale": N_("The recurrent weight scale must be positive."),
    "waves.unknown_task": N_("Unknown wave task {task}: use one of {choices}."),
    "waves.window": N_("A window needs at least 2 points and a positive length; hidden size and learning rate must "
                       "be positive."),
    "waves.feedback": N_("feedback is a fraction of the window in [0, 1)."),
    "waves.free_running": N_("Free-running generation needs the next-step task and at least one step."),
    # rnn_core.inside.cells: what it cannot unroll
    "inside.proj_size": N_("LSTMs with proj_size are not unrolled here."),
    "inside.no_bias": N_("Modules built with bias=False are not unrolled here."),
    "inside.input_shape": N_("Expected a batch of sequences (3 dimensions), got shape {shape}."),
    "inside.parameter_name": N_("Not a recurrent layer's parameter name: {name}"),
    # rnn_core.inside.cells: why each tensor has its shape
    "inside.input_batch_first": N_("batch_first=True: (batch, time, features)"),
    "inside.input_time_first": N_("PyTorch's default is time first, (time, batch, features): the loop runs over dim 0"),
    "inside.h0": N_("one starting memory per layer ({layers}) and direction ({directions}), per sequence; "
                    "batch_first never applies to the state"),
    "inside.c0": N_("the LSTM's second memory, the cell state: shaped like h0"),
    "inside.output_bidirectional": N_("the top layer's h_t at every step, both directions side by side "
                                      "({directions} x {hidden})"),
    "inside.output": N_("the top layer's h_t at every step"),
    "inside.h_n": N_("the last h_t of every layer and direction, (layers x directions, batch, hidden): the state to "
                     "carry into the next call"),
    "inside.c_n": N_("the last cell state of every layer and direction"),
    "inside.weight_ih": N_("({rows}, input), not (input, hidden): PyTorch computes x @ W.T, as nn.Linear does"),
    "inside.weight_hh": N_("({rows}, hidden): the same for h_(t-1), one block of rows per gate"),
    "inside.gates_by_hidden": N_("{count} gates x hidden"),
    "inside.hidden_rows": N_("hidden"),
    # rnn_core.inside.cells: what each parameter does, and what its rows and columns are
    "inside.backward": N_("backward: {does}"),
    "inside.gru_hh_bias": N_("{does} (for n: inside r * ...)"),
    "inside.multiplies": N_("multiplies {what}"),
    "inside.added_to": N_("added to {product}"),
    "inside.w_ih_times": N_("W_ih times {what}"),
    "inside.the_input": N_("the input x_t"),
    "inside.the_last_state": N_("the last state h_(t-1)"),
    "inside.layer_output": N_("layer {layer}'s output h_t"),
    "inside.weight_layout": N_("rows: {rows}, columns: {columns}"),
    "inside.bias_layout": N_("one per row: {rows}"),
    "inside.gate_rows": N_("{count} gates ({names}) x hidden {hidden}"),
    "inside.both_directions": N_("2 directions x hidden {hidden}"),
    "inside.hidden": N_("hidden {hidden}"),
    "inside.input": N_("input {size}"),
}


def engine_words(message: EngineMessage) -> str:
    """The message in the visitor's language, each message among its values translated in turn
    (ui/message_words.py): the engine's English for a code with no words here, which a test keeps from
    happening."""
    return translated(message, ENGINE_WORDS)
