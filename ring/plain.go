package ring

import (
	"fmt"
	"reflect"
)

// checkPlain returns an error when a value of type t holds a pointer in any
// form: a pointer, string, slice, map, channel, function, interface or
// unsafe.Pointer, directly or inside a struct field or array element. Plain
// types are booleans, numbers, and arrays and structs of plain types; a slot
// of a plain type is copied with a memcpy and never scanned by the collector.
func checkPlain(t reflect.Type) error {
	if where, bad := firstPointer(t, t.String()); bad != nil {
		return fmt.Errorf("ring: element type %v is not pointer-free: %s is a %v", t, where, bad)
	}
	return nil
}

// firstPointer returns the path and type of the first pointer-holding
// component of t, or a nil type when there is none.
func firstPointer(t reflect.Type, path string) (string, reflect.Type) {
	switch t.Kind() {
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return "", nil
	case reflect.Array:
		return firstPointer(t.Elem(), path+"[]")
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if where, bad := firstPointer(f.Type, path+"."+f.Name); bad != nil {
				return where, bad
			}
		}
		return "", nil
	default:
		return path, t
	}
}
