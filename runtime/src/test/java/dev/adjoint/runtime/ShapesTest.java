package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapesTest {

  @Test
  void sizeAndStrides() {
    assertEquals(1, Shapes.size());
    assertEquals(24, Shapes.size(2, 3, 4));
    assertEquals(0, Shapes.size(2, 0, 4));
    assertArrayEquals(new int[] {12, 4, 1}, Shapes.strides(2, 3, 4));
    assertArrayEquals(new int[0], Shapes.strides());
  }

  @Test
  void broadcastShapeFollowsNumpy() {
    assertArrayEquals(new int[] {2, 3, 4}, Shapes.broadcastShape(new int[] {3, 1}, new int[] {2, 1, 4}));
    assertArrayEquals(new int[] {5}, Shapes.broadcastShape(new int[0], new int[] {5}));
    assertArrayEquals(new int[] {0, 3}, Shapes.broadcastShape(new int[] {0, 1}, new int[] {3}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Shapes.broadcastShape(new int[] {2, 3}, new int[] {4}));
    assertEquals("shapes [2, 3] and [4] do not broadcast", e.getMessage());
  }

  @Test
  void broadcastStridesAreZeroOnStretchedAxes() {
    assertArrayEquals(new int[] {0, 1, 0}, Shapes.broadcastStrides(new int[] {3, 1}, new int[] {2, 3, 4}));
    assertArrayEquals(new int[] {0, 0}, Shapes.broadcastStrides(new int[0], new int[] {2, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> Shapes.broadcastStrides(new int[] {3}, new int[] {2, 4}));
  }

  @Test
  void reducedShapeWithAndWithoutKeepdims() {
    assertArrayEquals(new int[] {3}, Shapes.reducedShape(new int[] {2, 3, 4}, new int[] {2, 0}, false));
    assertArrayEquals(new int[] {1, 3, 1}, Shapes.reducedShape(new int[] {2, 3, 4}, new int[] {0, 2}, true));
    assertArrayEquals(new int[0], Shapes.reducedShape(new int[] {2}, new int[] {0}, false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Shapes.reducedShape(new int[] {2, 3}, new int[] {1, 1}, false));
    assertEquals("axis 1 is listed twice", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Shapes.reducedShape(new int[] {2, 3}, new int[] {-1}, false));
    assertEquals("axis -1 is out of range for rank 2", e.getMessage());
  }

  @Test
  void inversePermutation() {
    assertArrayEquals(new int[] {1, 2, 0}, Shapes.inversePermutation(2, 0, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shapes.inversePermutation(0, 0));
    assertEquals("not a permutation of 0..1: [0, 0]", e.getMessage());
  }

  @Test
  void sliceBoundsResolveLikeNumpy() {
    assertEquals(3, Shapes.resolveBound(-2, 5));
    assertEquals(0, Shapes.resolveBound(-9, 5));
    assertEquals(5, Shapes.resolveBound(7, 5));
    assertEquals(2, Shapes.resolveBound(2, 5));
    assertArrayEquals(new int[] {2, 0}, Shapes.sliceShape(new int[] {1, 3}, new int[] {3, 3}));
  }

  @Test
  void formatWritesShapesAsTheLanguageDoes() {
    assertEquals("[]", Shapes.format());
    assertEquals("[2, 3]", Shapes.format(2, 3));
  }
}
