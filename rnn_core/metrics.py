"""What a classifier is measured by: accuracy, balanced accuracy, loss and the confusion matrix."""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from rnn_core.checkpoint_meta import ClassifierMetrics


@dataclass
class Metrics:
    accuracy: float
    balanced_accuracy: float  # mean per-class recall over the classes present
    loss: float
    confusion: list[list[int]] = field(repr=False)  # [true][predicted] counts
    examples: int = 0

    def per_class_recall(self) -> list[float | None]:
        return [row[i] / sum(row) if sum(row) else None for i, row in enumerate(self.confusion)]

    def summary(self) -> str:
        return (f"accuracy {100 * self.accuracy:.2f}%  balanced accuracy {100 * self.balanced_accuracy:.2f}%  "
                f"loss {self.loss:.4f}  ({self.examples} examples)")


def metrics_from_logits(logits: torch.Tensor, labels: torch.Tensor, num_classes: int) -> Metrics:
    """Accuracy, balanced accuracy, mean loss and confusion matrix of logits (N, C) against labels (N,)."""
    loss = F.cross_entropy(logits, labels).item()
    predicted = logits.argmax(1)
    confusion = torch.bincount(labels * num_classes + predicted, minlength=num_classes ** 2)
    confusion = confusion.view(num_classes, num_classes)
    support = confusion.sum(1)
    recall = confusion.diag()[support > 0].float() / support[support > 0]
    return Metrics(accuracy=(predicted == labels).float().mean().item(),
                   balanced_accuracy=recall.mean().item(), loss=loss,
                   confusion=confusion.tolist(), examples=len(labels))


@torch.no_grad()
def predict_logits(model: nn.Module, inputs: tuple[torch.Tensor, ...], batch_size: int = 1000) -> torch.Tensor:
    """Logits for all rows of `inputs`, in eval mode, in batches; returned on the CPU."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    n = len(inputs[0])
    chunks = [model(*(x[i: i + batch_size].to(device) for x in inputs)).float().cpu()
              for i in range(0, n, batch_size)]
    model.train(was_training)
    return torch.cat(chunks)


def evaluate_classifier(model: nn.Module, inputs: tuple[torch.Tensor, ...], labels: torch.Tensor,
                        num_classes: int) -> Metrics:
    return metrics_from_logits(predict_logits(model, inputs), labels.cpu(), num_classes)


def metrics_metadata(metrics: Metrics, labels: list[str]) -> ClassifierMetrics:
    """Test metrics as checkpoint metadata records them."""
    return ClassifierMetrics(accuracy=metrics.accuracy, balanced_accuracy=metrics.balanced_accuracy,
                             loss=metrics.loss, examples=metrics.examples, confusion=metrics.confusion,
                             per_class_recall=dict(zip(labels, metrics.per_class_recall())))
