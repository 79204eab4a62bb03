package io.parsimony.nn.data;

import static io.parsimony.nn.data.TestData.assertDataError;
import static io.parsimony.nn.data.TestData.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetsTest {

    @TempDir
    Path tmp;

    @Test
    void fashionMnistByNameFromTheDefaultSearchPath() {
        ImageSet train = DataSets.load("fashion-mnist", Split.TRAIN);
        assertEquals("fashion-mnist/train", train.name());
        assertEquals(60_000, train.size());
        assertEquals(DataSets.FASHION_MNIST_CLASSES, train.classNames());
        assertEquals("Ankle boot", train.classNames().get(train.labels()[0]));
        ImageSet test = DataSets.load(null, Split.TEST); // the default
        assertEquals("fashion-mnist/test", test.name());
        assertEquals(10_000, test.size());
    }

    @Test
    void defaultSearchPath() {
        // the build names the project root as the installation (surefire's parsimony.home)
        Path home = Path.of(System.getProperty("parsimony.home"));
        Path shared = home.toAbsolutePath().normalize().getParent().resolve("shared/datasets");
        List<Path> path = DataSets.searchPath();
        assertTrue(path.contains(shared), path::toString);
        assertTrue(path.contains(Path.of("/usr/share/datasets")), path::toString);
        assertTrue(path.contains(Path.of(System.getProperty("user.home"), ".parsimony", "datasets")), path::toString);
        assertTrue(path.indexOf(shared) < path.indexOf(Path.of("/usr/share/datasets")));
        assertTrue(path.stream().allMatch(Path::isAbsolute));
        assertEquals(DataSets.searchPath(System.getenv("PARSIMONY_DATA"), home), path,
                "only the environment, the installation, Debian's and the user's directories: nothing from the working directory");
        assertEquals(List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "svhn", "mnist-rot"), DataSets.NAMES);
    }

    @Test
    void searchPathOrderIsEnvironmentThenInstallationThenDebianThenHome() {
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(List.of(Path.of("/data/a"), Path.of("/data/b"), Path.of("/opt/shared/datasets"),
                        Path.of("/usr/share/datasets"), home.resolve(".parsimony/datasets")),
                DataSets.searchPath("/data/a:/data/b:", Path.of("/opt/parsimony")));
        assertEquals(List.of(Path.of("/usr/share/datasets"), home.resolve(".parsimony/datasets")),
                DataSets.searchPath(null, null), "without a launcher, no installation directory");
        assertEquals(List.of(home.resolve("d"), Path.of("/usr/share/datasets"), home.resolve(".parsimony/datasets")),
                DataSets.searchPath("~/d:/usr/share/datasets", null), "~ expanded, duplicates once");
    }

    @Test
    void unknownNameIsOneLineListingTheNames() {
        assertDataError(() -> DataSets.load("imagenet", Split.TRAIN),
                "unknown data set 'imagenet'", "fashion-mnist, mnist, cifar10, cifar100, svhn", "no such directory");
    }

    @Test
    void nameResolvesThroughTheGivenSearchPathInOrder() throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        Files.createDirectories(first.resolve("unrelated"));
        TestData.writeTinyIdxSet(second.resolve("mnist"), 12);
        ImageSet s = DataSets.load("mnist", Split.TRAIN, List.of(first, second), false);
        assertEquals("mnist/train", s.name());
        assertEquals(12, s.size());
        assertEquals(3, s.height());
        assertEquals(4, s.width());
        assertEquals(DataSets.DIGITS, s.classNames());
        assertEquals(TestData.pattern(11, 0, 2, 3), s.pixel(11, 0, 2, 3));
        assertEquals(1, s.labels()[11]);

        // An earlier directory wins; names are matched loosely; t10k is the test split.
        TestData.writeTinyIdxSet(first.resolve("MNIST/raw"), 5);
        assertEquals(5, DataSets.load("MNIST", Split.TEST, List.of(first, second), false).size());
        assertEquals("mnist/test", DataSets.load("mnist", Split.TEST, List.of(first, second), false).name());
    }

    @Test
    void notFoundSaysWhereItLookedAndHowToGetIt() {
        Path empty = tmp.resolve("nothing-here");
        assertDataError(() -> DataSets.load("fashion-mnist", Split.TRAIN, List.of(empty)),
                "fashion-mnist not found", empty.toString(), "apt-get install -y dataset-fashion-mnist",
                "PARSIMONY_DATA", "nothing is downloaded");
        assertDataError(() -> DataSets.load("cifar10", Split.TRAIN, List.of(empty, tmp), false),
                "cifar10 not found", empty + ", " + tmp, "cifar-10-binary.tar.gz", "cifar-10-batches-bin");
        assertDataError(() -> DataSets.load("svhn", Split.TEST, List.of(empty)), "train_32x32.mat");
    }

    @Test
    void cifarLayoutsByUpstreamFolderNameAndByPath() throws IOException {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        for (int b = 1; b <= 5; b++) {
            write(dir.resolve("data_batch_" + b + ".bin"), CifarReaderTest.records(0, new int[][] {{b}, {0}}));
        }
        write(dir.resolve("test_batch.bin"), CifarReaderTest.records(0, new int[][] {{9}}));
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CifarReaderTest.CIFAR10_NAMES));

        ImageSet train = DataSets.load("cifar10", Split.TRAIN, List.of(tmp), false);
        assertEquals("cifar10/train", train.name());
        assertArrayEquals(new int[] {1, 0, 2, 0, 3, 0, 4, 0, 5, 0}, train.labels());
        assertEquals(CifarReaderTest.CIFAR10_NAMES, train.classNames());
        ImageSet test = DataSets.load(dir.toString(), Split.TEST, List.of());
        assertEquals("cifar-10-batches-bin/test", test.name());
        assertEquals("truck", test.classNames().get(test.labels()[0]));

        Path c100 = tmp.resolve("data/cifar100");
        write(c100.resolve("train.bin"), CifarReaderTest.records(0, new int[][] {{3, 42}}));
        ImageSet fine = DataSets.load("cifar-100", Split.TRAIN, List.of(tmp.resolve("data")), false);
        assertEquals(100, fine.classes());
        assertEquals(42, fine.labels()[0]);
        assertDataError(() -> DataSets.load("cifar100", Split.TEST, List.of(tmp.resolve("data")), false),
                "cifar100/test", "has no test.bin", "cifar-100-binary.tar.gz");
        Files.delete(dir.resolve("data_batch_4.bin"));
        assertDataError(() -> DataSets.load("cifar10", Split.TRAIN, List.of(tmp), false), "has no data_batch_4.bin");
    }

    @Test
    void svhnByName() throws IOException {
        Path f = tmp.resolve("svhn/test_32x32.mat");
        Files.createDirectories(f.getParent());
        SvhnReaderTest.writeMat(f, true, "X", SvhnReaderTest.svhnX(2), "y",
                SvhnReaderTest.column(us.hebi.matlab.mat.types.MatlabType.Double, 10, 5));
        ImageSet s = DataSets.load("svhn", Split.TEST, List.of(tmp));
        assertEquals("svhn/test", s.name());
        assertArrayEquals(new int[] {0, 5}, s.labels());
        assertEquals(200, s.pixel(1, 0, 3, 17));
    }

    @Test
    void pathToIdxAndImageFolderLayouts() throws IOException {
        Path fashion = tmp.resolve("my-fashion");
        TestData.writeTinyIdxSet(fashion, 3);
        assertEquals(DataSets.FASHION_MNIST_CLASSES, DataSets.load(fashion.toString(), Split.TRAIN).classNames());
        Path digits = tmp.resolve("digits");
        TestData.writeTinyIdxSet(digits, 3);
        ImageSet d = DataSets.load(digits.toString(), Split.TEST);
        assertEquals("digits/test", d.name());
        assertEquals(DataSets.DIGITS, d.classNames());

        Path folders = tmp.resolve("pets");
        ImageFolderReaderTest.png(folders.resolve("train/cat/1.png"), ImageFolderReaderTest.rgb(0));
        ImageFolderReaderTest.png(folders.resolve("train/dog/1.png"), ImageFolderReaderTest.rgb(1));
        ImageFolderReaderTest.png(folders.resolve("test/dog/1.png"), ImageFolderReaderTest.rgb(2));
        Files.createDirectories(folders.resolve("test/cat"));
        ImageSet train = DataSets.load(folders.toString(), Split.TRAIN);
        assertEquals("pets/train", train.name());
        assertArrayEquals(new int[] {0, 1}, train.labels());
        ImageSet test = DataSets.load(folders.toString(), Split.TEST);
        assertEquals(List.of("cat", "dog"), test.classNames());
        assertArrayEquals(new int[] {1}, test.labels(), "an empty class folder keeps the indices aligned");
    }

    @Test
    void pathErrors() throws IOException {
        Path unknown = Files.createDirectories(tmp.resolve("random-stuff"));
        assertDataError(() -> DataSets.load(unknown.toString(), Split.TRAIN), unknown.toString(), "no known layout");
        Path file = write(tmp.resolve("file.bin"), new byte[1]);
        assertDataError(() -> DataSets.load(file.toString(), Split.TRAIN), file.toString(), "is a file");
    }
}
