"""More than one process: a ZEO server and two application processes on loopback.  A vote cast
through one process is seen in the progress read through the other."""
import pytest

from tests.support import loopback
from tests.two_processes import serve_two, vote_through_one_read_through_other


@pytest.fixture
def zeo_cluster(tmp_path):
    zeo_port = loopback.free_port()
    conf = tmp_path / "zeo.conf"
    conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n  path {tmp_path}/Data.fs\n"
                    f"  blob-dir {tmp_path}/blobs\n</filestorage>\n")
    processes = [loopback.start_zeo(conf)]
    try:
        yield serve_two(tmp_path, lambda port: f"zeo://127.0.0.1:{zeo_port}?blob_dir={tmp_path}/cache-{port}"
                        "&shared_blob_dir=false", processes)
    finally:
        loopback.stop(processes)


def test_a_vote_through_one_process_shows_in_the_progress_read_through_the_other(zeo_cluster):
    vote_through_one_read_through_other(*zeo_cluster)
