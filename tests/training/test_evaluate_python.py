#!/usr/bin/python3
"""Unit tests of models/train/selective_metrics.py (the figures of `medvqa eval`, computed as
core/training/evaluation.cpp does: the same hand-made rows as tests/unit/test_training_evaluation.cpp
give the same numbers) and of evaluate.py's reproduction of the engine's steps (restriction,
combination over images, applicability from the truth).

    /usr/bin/python3 tests/training/test_evaluate_python.py"""

import sys
import unittest
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "models" / "train"))

import evaluate  # noqa: E402
from selective_metrics import format_table, risk_at_coverage, selective_report  # noqa: E402

TYPES = [{"name": "effusion_presence", "closed": True}, {"name": "nodule_count", "closed": False},
         {"name": "liver_lesion", "closed": True}]


def answered(type_, truth, answer, confidence, heldout=False, inverse=False):
    return {"type": type_, "heldout": heldout, "expect": "answered", "inverse": inverse, "truth": truth,
            "status": "answered", "answer": answer, "confidence": confidence, "question_type": type_,
            "source": "model"}


def refused(type_, status, truth="yes", guess="", confidence=0.0):
    row = answered(type_, truth, guess if status == "uncertain" else "", confidence if status == "uncertain" else 0.0)
    row["status"] = status
    if status != "uncertain":
        row["question_type"] = ""
    return row


def out_of_scope(status, heldout, answer="", confidence=0.0):
    return {"type": "", "heldout": heldout, "expect": "unsupported", "inverse": False, "truth": "", "status": status,
            "answer": answer, "confidence": confidence, "question_type": "", "source": "model"}


def not_applicable(type_, status):
    row = out_of_scope(status, False, "no" if status == "answered" else "", 0.9 if status == "answered" else 0.0)
    row.update(type=type_, expect="not_applicable")
    return row


class SelectiveMetrics(unittest.TestCase):
    def test_accuracy_over_answered_coverage_over_asked(self):
        rows = [answered("effusion_presence", "yes", "yes", 0.9), answered("effusion_presence", "no", "yes", 0.8),
                answered("nodule_count", "2", "2", 0.7), refused("nodule_count", "uncertain", "1", "1", 0.4),
                refused("effusion_presence", "unsupported")]
        overall = selective_report(rows, TYPES)["overall"]
        self.assertEqual((overall["asked"], overall["answered"], overall["correct"], overall["wrong"]), (5, 3, 2, 1))
        self.assertAlmostEqual(overall["accuracy"], 2 / 3)
        self.assertAlmostEqual(overall["coverage"], 3 / 5)
        self.assertAlmostEqual(overall["false_refusals"], 2 / 5)
        self.assertEqual(overall["statuses"], {"answered": 3, "unsupported": 1, "not_applicable": 0, "uncertain": 1})
        self.assertEqual(overall["understood"], 4)

    def test_risk_at_95(self):
        rows = [answered("nodule_count", "1", "1", 0.99 - 0.01 * i) for i in range(20)]
        rows[19]["answer"] = "2"
        self.assertEqual(risk_at_coverage(rows), 0.0)
        rows[18]["answer"] = "2"
        self.assertAlmostEqual(risk_at_coverage(rows), 1 / 19)
        self.assertAlmostEqual(risk_at_coverage(rows, 1.0), 2 / 20)
        ten = [answered("nodule_count", "1", "1", 0.9 - 0.01 * i) for i in range(10)]
        ten[9]["answer"] = "3"
        self.assertAlmostEqual(risk_at_coverage(ten), 0.1)

    def test_risk_ranks_rows_without_answer_last(self):
        rows = [answered("nodule_count", "1", "1", 0.5 + 0.01 * i) for i in range(19)]
        unsupported = refused("nodule_count", "unsupported")
        unsupported["confidence"] = 0.99
        rows.insert(0, unsupported)
        self.assertEqual(risk_at_coverage(rows), 0.0)
        rows[1] = refused("nodule_count", "uncertain", "1", "1", 0.2)
        self.assertEqual(risk_at_coverage(rows), 0.0)
        rows[2] = refused("nodule_count", "uncertain", "1", "2", 0.95)
        self.assertAlmostEqual(risk_at_coverage(rows), 1 / 19)
        tied = [answered("nodule_count", "1", "2", 0.8), answered("nodule_count", "1", "1", 0.8)]
        self.assertEqual(risk_at_coverage(tied, 0.5), 1.0)
        self.assertEqual(risk_at_coverage(tied[::-1], 0.5), 0.0)
        self.assertEqual(risk_at_coverage([out_of_scope("answered", False, "yes", 1.0)]), 0.0)

    def test_out_of_scope_and_not_applicable(self):
        rows = [out_of_scope("unsupported", False), out_of_scope("answered", False, "yes", 0.7),
                out_of_scope("unsupported", True), out_of_scope("uncertain", True, "no", 0.3),
                out_of_scope("not_applicable", True), answered("effusion_presence", "yes", "yes", 0.9),
                not_applicable("liver_lesion", "not_applicable"), not_applicable("liver_lesion", "unsupported"),
                not_applicable("liver_lesion", "answered")]
        report = selective_report(rows, TYPES)
        oos = report["out_of_scope"]
        self.assertEqual((oos["asked"], oos["refused"], oos["as_expected"]), (5, 4, 2))
        self.assertEqual((oos["seen"]["asked"], oos["seen"]["refused"]), (2, 1))
        self.assertEqual((oos["heldout"]["asked"], oos["heldout"]["refused"]), (3, 3))
        na = report["not_applicable"]
        self.assertEqual((na["asked"], na["refused"], na["as_expected"]), (3, 2, 1))
        self.assertEqual(report["overall"]["asked"], 1)
        self.assertEqual([t["type"] for t in report["per_type"]], ["effusion_presence", "liver_lesion"])
        self.assertEqual(report["per_type"][1]["not_applicable"]["as_expected"], 1)
        self.assertEqual(sum(b["count"] for b in report["bins"]), 1)  # answered in-scope rows only

    def test_inverse_wrong_of_asked(self):
        rows = [answered("effusion_presence", "no", "no", 0.95, inverse=True),
                answered("effusion_presence", "no", "yes", 0.90, inverse=True),
                dict(refused("effusion_presence", "uncertain", "yes", "no", 0.5), inverse=True),
                answered("effusion_presence", "yes", "yes", 0.99)]
        inverse = selective_report(rows, TYPES)["inverse"]
        self.assertEqual((inverse["asked"], inverse["answered"], inverse["wrong"]), (3, 2, 1))
        self.assertAlmostEqual(inverse["wrong_rate"], 1 / 3)

    def test_calibration_error(self):
        rows = [answered("effusion_presence", "yes", "yes", 0.9), answered("effusion_presence", "yes", "no", 0.9),
                answered("effusion_presence", "yes", "yes", 1.0), answered("effusion_presence", "no", "no", 0.95)]
        report = selective_report(rows, TYPES)
        self.assertEqual(report["bins"][13]["count"], 2)
        self.assertEqual(report["bins"][14]["count"], 2)
        self.assertAlmostEqual(report["ece"], 0.5 * 0.4 + 0.5 * 0.025)

    def test_everything_refused_and_empty(self):
        rows = [refused("effusion_presence", "unsupported"), refused("nodule_count", "not_applicable", "2"),
                out_of_scope("unsupported", True)]
        report = selective_report(rows, TYPES)
        self.assertEqual(report["overall"]["accuracy"], 0.0)
        self.assertEqual(report["overall"]["false_refusals"], 1.0)
        self.assertEqual(report["overall"]["risk_at_95"], 1.0)
        self.assertEqual(report["ece"], 0.0)
        empty = selective_report([], TYPES)
        self.assertEqual((empty["rows"], empty["overall"]["asked"], empty["ece"], empty["per_type"]), (0, 0, 0.0, []))
        self.assertIn("overall", format_table(empty))

    def test_refuses_unknown_types_and_expectations(self):
        with self.assertRaises(SystemExit):
            selective_report([answered("spleen_size", "large", "large", 0.5)], TYPES)
        with self.assertRaises(SystemExit):
            selective_report([dict(answered("effusion_presence", "yes", "yes", 0.5), expect="uncertain")], TYPES)
        selective_report([out_of_scope("unsupported", False)], TYPES)  # no type needed


class EngineSteps(unittest.TestCase):
    ANSWERS = ["yes", "no", "1", "2"]

    def test_restrict_renormalises_within_the_space(self):
        row = torch.tensor([0.1, 0.3, 0.4, 0.2])
        self.assertTrue(torch.allclose(evaluate.restrict(row, [0, 1]), torch.tensor([0.25, 0.75, 0.0, 0.0])))
        self.assertTrue(torch.allclose(evaluate.restrict(torch.tensor([0.0, 0.0, 1.0, 0.0]), [0, 1]),
                                       torch.tensor([0.5, 0.5, 0.0, 0.0])))
        self.assertIs(evaluate.restrict(row, None), row)

    def test_combine_closed_and_majority(self):
        yes_no = [torch.tensor([0.8, 0.2, 0, 0]), torch.tensor([0.3, 0.7, 0, 0]), torch.tensor([0.9, 0.1, 0, 0])]
        index, confidence = evaluate.combine(yes_no, self.ANSWERS)
        self.assertEqual(index, 0)
        self.assertAlmostEqual(confidence, 0.9, places=6)  # the highest P(yes) of a "yes" image
        no = [torch.tensor([0.4, 0.6, 0, 0]), torch.tensor([0.1, 0.9, 0, 0])]
        index, confidence = evaluate.combine(no, self.ANSWERS)
        self.assertEqual(index, 1)
        self.assertAlmostEqual(confidence, 0.6, places=6)  # the lowest P(no)
        counts = [torch.tensor([0, 0, 0.6, 0.4]), torch.tensor([0, 0, 0.3, 0.7]), torch.tensor([0, 0, 0.45, 0.55])]
        index, confidence = evaluate.combine(counts, self.ANSWERS)
        self.assertEqual(index, 3)
        self.assertAlmostEqual(confidence, (0.4 + 0.7 + 0.55) / 3, places=6)
        tie = [torch.tensor([0, 0, 0.6, 0.4]), torch.tensor([0, 0, 0.3, 0.7])]  # one vote each: 0.7 wins
        self.assertEqual(evaluate.combine(tie, self.ANSWERS)[0], 3)

    def test_regions_inferred_from_the_truth(self):
        chest = [{"modality": ["CR", "DX"], "body_part": ["CHEST", "THORAX"]}]
        ct = [{"modality": ["CT"], "body_part": ["ABDOMEN"]}]
        types = [{"name": "effusion_presence", "applies_to": chest}, {"name": "liver_lesion", "applies_to": ct},
                 {"name": "anything"}]
        truth = [{"study_uid": "1", "type": "effusion_presence", "expect": "answered"},
                 {"study_uid": "1", "type": "liver_lesion", "expect": "not_applicable"},
                 {"study_uid": "2", "type": "", "expect": "unsupported"}]

        class NoHeader:
            region = {}

        regions = evaluate.Regions(types, truth, NoHeader())
        self.assertIs(regions.applies("1", "effusion_presence"), True)
        self.assertIs(regions.applies("1", "liver_lesion"), False)
        self.assertIs(regions.applies("1", "anything"), True)
        self.assertIsNone(regions.applies("2", "liver_lesion"))  # nothing says what study 2 shows

        class Header:
            region = {"2": ("CT", "ABDOMEN")}

        self.assertIs(evaluate.Regions(types, truth, Header()).applies("2", "liver_lesion"), True)


if __name__ == "__main__":
    unittest.main()
