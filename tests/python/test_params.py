# SPDX-License-Identifier: GPL-3.0-or-later
"""DataType coercion, parameter constructor rules and reading values from the environment."""
import json
import os
import unittest

import _support  # noqa: F401
from lhub_integ.env import MappedColumnEnvVar
from lhub_integ.params import (ActionParam, ConnectionParam, DataType, InputType,
                               JinjaTemplatedStr, ValidationError)
from lhub_integ.util import InvalidIntegration


class CoercionTests(unittest.TestCase):
    def test_number(self):
        self.assertEqual(DataType.NUMBER.coerce(" 2.5 "), 2.5)
        self.assertEqual(DataType.NUMBER.coerce("1e3"), 1000.0)
        self.assertRaises(ValueError, DataType.NUMBER.coerce, "abc")
        self.assertRaises(TypeError, DataType.NUMBER.coerce, None)

    def test_int_truncates_through_float(self):
        self.assertEqual(DataType.INT.coerce("123.5"), 123)
        self.assertEqual(DataType.INT.coerce("-1.5"), -1)
        self.assertEqual(DataType.INT.coerce("1e3"), 1000)
        self.assertIsInstance(DataType.INT.coerce(" 7 "), int)
        self.assertRaises(ValueError, DataType.INT.coerce, "x")

    def test_bool(self):
        for text in ("y", "TRUE", "Yes", "1"):
            self.assertIs(DataType.BOOL.coerce(text), True)
        for text in ("n", "False", "NO", "0"):
            self.assertIs(DataType.BOOL.coerce(text), False)
        self.assertIs(DataType.BOOL.coerce(False), False)
        with self.assertRaises(ValueError) as ctx:
            DataType.BOOL.coerce(" true")
        self.assertEqual(str(ctx.exception),
                         "Expected boolean input but {input} could not be coerced into a boolean value")
        self.assertRaises(AttributeError, DataType.BOOL.coerce, 1)
        self.assertRaises(AttributeError, DataType.BOOL.coerce, None)

    def test_json(self):
        self.assertEqual(DataType.JSON.coerce('{"a": [1]}'), {"a": [1]})
        d = {"k": "v"}
        self.assertIs(DataType.JSON.coerce(d), d)
        self.assertRaises(TypeError, DataType.JSON.coerce, [1])
        self.assertRaises(json.JSONDecodeError, DataType.JSON.coerce, "1,2,3")

    def test_passthrough_types(self):
        for data_type in (DataType.STRING, DataType.COLUMN, DataType.JINJA):
            self.assertIsNone(data_type.coerce(None))
            self.assertEqual(data_type.coerce("  keep "), "  keep ")


class ConstructorTests(unittest.TestCase):
    def setUp(self):
        ConnectionParam._registry.clear()
        ActionParam._registry.clear()

    tearDown = setUp

    def test_rules(self):
        two = ConnectionParam("TWO", options=["a", "b"], input_type=InputType.PASSWORD)
        one = ConnectionParam("ONE", options=["a"], input_type=InputType.TEXT_AREA)
        dflt = ConnectionParam("DFLT", default="10", optional=False, data_type=DataType.INT)
        nolabel = ConnectionParam("NOLABEL", label="")
        self.assertEqual(two.input_type, InputType.SELECT)
        self.assertEqual(one.input_type, InputType.TEXT_AREA)
        self.assertTrue(dflt.optional)
        self.assertEqual(nolabel.label, "NOLABEL")
        self.assertEqual([p.id for p in ConnectionParam.all()], ["TWO", "ONE", "DFLT", "NOLABEL"])

    def test_invalid_id(self):
        with self.assertRaises(InvalidIntegration) as ctx:
            ConnectionParam("api-key")
        self.assertEqual(ctx.exception.key, "invalid_parameter_name")
        self.assertTrue(str(ctx.exception).startswith('"api-key" is not a valid id'))
        self.assertTrue(str(ctx.exception).endswith("[invalid_parameter_name]"))

    def test_column_data_type_crashes(self):
        with self.assertRaises(AttributeError):
            ConnectionParam("COL", data_type=DataType.COLUMN)
        self.assertEqual(ConnectionParam.all(), [])

    def test_duplicates(self):
        ConnectionParam("TOKEN")
        with self.assertRaises(InvalidIntegration) as ctx:
            ConnectionParam("TOKEN")
        self.assertIn("[duplication_connection_param]", str(ctx.exception))
        ActionParam("MODE", action="a, b")
        with self.assertRaises(InvalidIntegration) as ctx:
            ActionParam("MODE", action=["b"])
        self.assertEqual(str(ctx.exception),
                         "You can't have 2 action parameters with the same id (b) [duplicate_action_param]")

    def test_action_forms(self):
        ActionParam("S", action=" x , y ")
        ActionParam("L", action=["y"])
        ActionParam("T", action=("x",))
        self.assertEqual([p.id for p in ActionParam.for_action(__name__ + ".x")], ["S", "T"])
        self.assertEqual([p.id for p in ActionParam.for_action(__name__ + ".y")], ["S", "L"])
        with self.assertRaises(TypeError):
            ActionParam("BAD", action={"x"})
        with self.assertRaises(TypeError):
            ActionParam("MISSING")  # pylint: disable=missing-kwoa


class ReadTests(unittest.TestCase):
    ENV = ("RT_RATIO", "RT_SPACE", "RT_MISSING", "RT_FLAG", "___rt_arg")

    def setUp(self):
        ConnectionParam._registry.clear()
        self._saved = {k: os.environ.pop(k, None) for k in self.ENV}

    def tearDown(self):
        ConnectionParam._registry.clear()
        for k, v in self._saved.items():
            os.environ.pop(k, None)
            if v is not None:
                os.environ[k] = v

    def test_read_valid_and_str(self):
        os.environ["RT_RATIO"] = "2.5"
        os.environ["RT_SPACE"] = " "
        ratio = ConnectionParam("RT_RATIO", data_type=DataType.NUMBER)
        space = ConnectionParam("RT_SPACE")
        note = ConnectionParam("RT_MISSING", optional=True)
        flag = ConnectionParam("RT_FLAG", data_type=DataType.BOOL, default="yes")
        self.assertEqual(ratio.read(), 2.5)
        self.assertEqual(ratio.valid(), "2.5")
        self.assertEqual(space.read(), " ")
        self.assertIsNone(note.read())
        self.assertEqual(str(note), "")
        self.assertIs(note.valid(), True)
        self.assertIs(flag.read(), True)

    def test_optional_int_without_default_fails_on_read(self):
        param = ConnectionParam("RT_MISSING", data_type=DataType.INT, optional=True)
        self.assertRaises(TypeError, param.read)

    def test_mapped_column_prefix(self):
        os.environ["___rt_arg"] = "col"
        column = MappedColumnEnvVar("rt_arg")
        self.assertEqual(column.id, "___rt_arg")
        self.assertEqual(column.read(), "col")

    def test_validation_error(self):
        param = ConnectionParam("RT_SPACE")
        self.assertEqual(ValidationError("bad", param).to_json(), {"message": "bad", "inputId": "RT_SPACE"})
        with self.assertRaises(TypeError):
            ValidationError(message="no param")  # pylint: disable=no-value-for-parameter

    def test_jinja_templated_str_is_a_str(self):
        self.assertTrue(issubclass(JinjaTemplatedStr, str))
        self.assertEqual(repr(JinjaTemplatedStr), "<class 'lhub_integ.params.JinjaTemplatedStr'>")


if __name__ == "__main__":
    unittest.main()
